"""Reference data and every zh-TW text of the product, in one place (SPEC §1, §2, seed manual)."""

from typing import Final

PORTS: Final[dict[str, str]] = {
    "KL": "基隆港",
    "TP": "臺北港",
    "SA": "蘇澳港",
    "TX": "臺中港",
    "KH": "高雄港",
    "AP": "安平港",
    "HL": "花蓮港",
}

PASS_STATUSES: Final[dict[str, str]] = {
    "ACTIVE": "已製證",
    "SUSPENDED_INACTIVE": "停用中(因未通行)",
    "CANCELLED": "已註銷",
    "EXPIRED": "已逾期",
}

PASS_TYPES: Final[dict[str, str]] = {"REGULAR": "定期證", "TEMPORARY": "臨時證", "SINGLE_VISIT": "當次證"}

REINSTATEMENT_STATUSES: Final[dict[str, str]] = {
    "PENDING": "待生效",
    "ACTIVATED": "已恢復",
    "VOIDED": "已作廢",
    "WITHDRAWN": "已撤回",
}

# Why the 06:00 job voided a pending application (SPEC §6, §7 voidReason; the digest's too).
VOID_REASONS: Final[dict[str, str]] = {
    "CANCELLATION_PENDING": "已提交註銷申請",
    "CANCELLED": "通行證已註銷",
    "EXPIRED": "通行證已逾期",
    "NOT_SUSPENDED": "通行證非停用中",
}

# The notice box above every list (SPEC §1). The fourth shows on the reinstatement screens.
NOTICES: Final[dict[str, list[str]]] = {
    "inactivePasses": [
        "申請恢復使用，請至系統功能「未通行停用恢復申請」提出申請，並於申請翌日06:00開放使用。",
        "定期證停用期間，該人員禁止申請定期證與臨時證，可以申請當次證。",
        "定期證停用期間，如需註銷，仍可以申請註銷該證。",
    ],
    "reinstatement": [
        "欲申請恢復使用，請按[停用恢復]按鈕，申請恢復成功後，通行證將於翌日06:00恢復使用。",
        "定期證停用期間，該人員禁止申請定期證與臨時證，可以申請當次證。",
        "定期證停用期間，如需註銷，仍可以申請註銷該證。",
        "提交註銷申請時，無法進行停用恢復。",
    ],
}

REINSTATEMENT_SUCCESS: Final = "申請恢復成功，通行證將於翌日06:00恢復使用"

# Error code -> zh-TW message (SPEC §9 error envelope).
ERROR_MESSAGES: Final[dict[str, str]] = {
    "UNAUTHORIZED": "未登入或登入已逾時，請重新登入。",
    "FORBIDDEN": "此帳號無此功能權限。",
    "VALIDATION_ERROR": "輸入資料格式有誤，請檢查後重新輸入。",
    "INVALID_PASS_NO": "通行證號格式有誤，請輸入完整證號（如 KHPS112-000045）或前 4 碼以上。",
    "INVALID_HOLDER_ID": "身分證號格式有誤。",
    "HOLDER_ID_REQUIRED": "非所屬通行證，請輸入持證人身分證號以取得權限。",
    "NOT_FOUND": "查無資料。",
    "PASS_NOT_FOUND": "查無此通行證。",
    "HOLDER_ID_MISMATCH": "身分證號不符，無法取得權限。",
    "TOO_MANY_ATTEMPTS": "身分證號錯誤次數過多，請稍後再試。",
    "NOT_SUSPENDED": "此通行證非停用中(因未通行)，無需申請恢復。",
    "REINSTATEMENT_PENDING": "此通行證已申請恢復，將於翌日06:00恢復使用。",
    "CANCELLATION_PENDING": "提交註銷申請時，無法進行停用恢復。",
    "PASS_EXPIRED": "通行證已逾期，無法申請恢復。",
    "REINSTATEMENT_NOT_FOUND": "查無此恢復申請。",
    "NOT_APPLICANT": "僅申請單位可撤回此申請。",
    "NOT_PENDING": "此申請已非待生效，無法撤回。",
    "ALREADY_EFFECTIVE": "此申請已到恢復通行時間，無法撤回。",
    "NOT_OWN_PASS": "批次停用恢復僅限所屬通行證，非所屬通行證請逐筆申請。",
    "INVALID_BATCH": "批次停用恢復須為 1 至 100 筆通行證號。",
    "EXPORT_TOO_LARGE": "匯出資料超過 50,000 筆，請增加查詢條件後再匯出。",
    "PASS_SUSPENDED": "此通行證停用中(因未通行)，請先申請停用恢復，恢復後才能設定暫緩停用。",
    "PASS_NOT_ACTIVE": "此通行證非已製證狀態，無法設定暫緩停用。",
    "NOT_EXEMPT": "此通行證目前未設定暫緩停用。",
    "SERVICE_UNAVAILABLE": "系統忙碌中，請稍後再試。",
    "INTERNAL_ERROR": "系統發生錯誤，請稍後再試。",
}

# Eligibility reasons (SPEC §1 item 5, notice 2).
ELIGIBILITY_MESSAGES: Final[dict[str, str]] = {
    "SUSPENDED_REGULAR_PASS": "定期證停用期間，該人員禁止申請定期證與臨時證，可以申請當次證。",
}


def port_name(code: str) -> str:
    return PORTS.get(code, code)


def status_label(code: str) -> str:
    return PASS_STATUSES.get(code, code)


# The history's record types and an EXEMPTION record's statuses (SPEC §12).
HISTORY_TYPES: Final[dict[str, str]] = {"REINSTATEMENT": "停用恢復", "EXEMPTION": "暫緩停用"}
EXEMPTION_ACTIONS: Final[dict[str, str]] = {"EXEMPTED": "暫緩停用", "EXEMPTION_ENDED": "結束暫緩"}
EXEMPT_UNTIL_LABEL: Final = "暫緩至"

# The daily digest e-mail (SPEC §11): section titles by change kind, in the order shown.
DIGEST_SECTIONS: Final[dict[str, str]] = {
    "warned": "新增5個月未通行警示",
    "suspended": "6個月未通行停用",
    "activated": "停用恢復生效",
    "voided": "恢復申請作廢",
    "withdrawn": "恢復申請撤回",
    "exempted": "暫緩停用設定",
    "exemption_ended": "暫緩停用提前結束",
}
DIGEST_SUBJECT: Final = "【港區通行證】未通行每日摘要 {day}"
DIGEST_GREETING: Final = "{label} 您好："
DIGEST_INTRO: Final = "以下為 {since} 至 {until}（臺北時間）{scope}的通行證異動。"
DIGEST_SCOPE_COMPANY: Final = "貴公司所屬通行證"
DIGEST_SCOPE_PORTS: Final = "{ports}所屬通行證"
DIGEST_SUMMARY: Final = "異動摘要"
DIGEST_COUNT: Final = "{n} 筆"
DIGEST_COLUMNS: Final[dict[str, str]] = {
    "passNo": "通行證號",
    "holderName": "姓名",
    "port": "領證港區",
    "expectedSuspensionOn": "預計停用日",
    "voidReason": "作廢原因",
    "day": "異動日期",
    "exemptUntil": "暫緩停用至",
}
DIGEST_MORE: Final = "另有 {n} 筆，請至系統查看：{url}"
DIGEST_LINK: Final = "請至港區通行證系統查看完整清單：{url}"
DIGEST_FOOTER: Final = "此郵件由系統自動發送，請勿直接回覆。如不需接收，請至系統「通知設定」關閉。"
DIGEST_NO_DATE: Final = "逾期前不停用"


# SPEC §12 exemptions (暫緩停用) and the suspended-pass alert.
ALERT_SUBJECT: Final = "【港區通行證】停用中通行證於閘門遭拒：{pass_no}"
ALERT_GREETING: Final = "{label} 您好："
ALERT_BODY: Final = (
    "通行證 {pass_no}（{holder_name}，{port_name}）因未通行停用中，"
    "於 {presented_at}（臺北時間）在閘門 {gate_id} 刷卡遭拒。"
)
ALERT_HOW_TO: Final = (
    "申請恢復使用，請至系統功能「未通行停用恢復申請」提出申請，並於申請翌日06:00開放使用：{url}"
)
ALERT_FOOTER: Final = "同一通行證每日至多通知一次。此郵件由系統自動發送，請勿直接回覆。"

// zh-TW labels and messages of the web client that are not the API's own (the API's come with
// its answers and GET /reference). Round three's screens and messages read them from here.

export const LABELS = {
  exemptUntil: "暫緩至",
  lastPresentedAt: "最近遭拒通行",
  selectPage: "全選本頁",
  clearSelection: "清除選取",
  retry: "重新載入",
  printList: "列印",
  withdrawnAt: "撤回時間",
  withdrawnBy: "撤回人",
  locked: "驗證已鎖定",
  issuerName: "製證系統（機器帳號）",
};

// SPEC §5: one budget of 20 misses in 24 hours, shared by the ID dialog and ID searches on
// others' lists.
export const ID_BUDGET = 20;
export const PER_PASS_BUDGET = 5;

export const MESSAGES = {
  network: "無法連線至伺服器，請檢查網路後按「重新載入」。",
  networkTable: "無法連線至伺服器，列表未更新。",
  budgetShared: `身分證號驗證與「非所屬通行證」的身分證號查詢共用同一額度：查無或不符者各算一次，24 小時內共 ${ID_BUDGET} 次。`,
  budgetLeft: (n) => `本帳號 24 小時內尚可驗證或查詢 ${n} 次（兩者共用）。`,
  checkDigit: "身分證號的檢查碼不符（最後一碼）：可能有一碼打錯，請逐字核對（完整身分證號如 A123456789）。此筆未送出，不計入驗證次數。",
  holderUnknown: (id) => `查無此身分證號 ${id} 的任何通行證紀錄：請確認號碼是否輸入正確。未曾發證者無停用限制，但此結果不代表已核對身分。`,
  lockedRow: (until) => `驗證已鎖定至 ${until}`,
  lockedDialog: (until) => `此通行證的身分證號驗證已鎖定至 ${until}，屆時才可再試。`,
  selectionKept: (n) => `已選 ${n} 筆（換頁後仍保留）`,
  withdrawn: (at, by) => `已於 ${at} 由 ${by} 撤回，不會恢復使用`,
};

// 停用開關 (suspensions.js).
export const SWITCH = {
  title: "停用開關",
  intro: "關閉時，每日比對只列入 5個月警示，不會停用任何通行證（新環境預設關閉，載入既有通行證後再開啟）。每次變更都會記錄變更人、時間與原因。",
  now: "目前狀態",
  nowOn: "已開啟：每日比對會停用 6 個月未通行的通行證。",
  nowOff: "已關閉：每日比對只警示，不停用。",
  lastChange: "最近變更：",
  never: "尚未變更過。",
  change: "變更停用開關",
  on: "開啟停用",
  off: "關閉停用（只警示）",
  reason: "變更原因（必填）",
  reasonHint: "例如：既有通行證已載入完成；某港區閘門資料中斷。最多 500 字。",
  reasonRequired: "請填寫變更原因。",
  save: "儲存變更",
  savedOn: "已開啟停用。",
  savedOff: "已關閉停用：每日比對只警示。",
  history: "變更紀錄",
  columns: ["變更時間", "狀態", "變更人", "原因"],
};

// 暫緩停用 and 通行異常警示 (exemptions.js, SPEC §12).
export const EXEMPTIONS = {
  title: "暫緩停用",
  introOfficer: "長期休假、出海或出國工作、住院等原因，可將已製證的通行證暫緩停用至指定日期：暫緩期間不列入 5個月警示，也不會停用；暫緩結束翌日起重新計算 5 個月與 6 個月。停用中的通行證請先申請停用恢復。",
  introCompany: "以下為貴公司通行證目前的暫緩停用（由港務審核設定，僅供檢視）。",
  formTitle: "設定暫緩停用",
  until: "暫緩至",
  untilHint: `須晚於今日，最長 366 天內。`,
  reason: "暫緩原因",
  reasonHint: "例如：長期休假、出海工作、住院。最多 200 字。",
  reasonRequired: "請填寫暫緩原因。",
  setBy: "設定人",
  save: "設定暫緩",
  saved: (passNo, until) => `${passNo}：已暫緩停用至 ${until}。`,
  end: "結束暫緩",
  endConfirm: (passNo) => `確定結束通行證 ${passNo} 的暫緩停用？結束翌日起重新計算未通行期間。`,
  ended: (passNo) => `${passNo}：已結束暫緩停用。`,
  listTitle: "目前的暫緩停用",
  none: "目前沒有暫緩停用的通行證。",
};

export const ALERTS = {
  title: "通行異常警示",
  intro: "最近 30 天內，停用中的通行證在閘門被拒通行的紀錄。請通知持證人，如需繼續使用，請於「未通行停用恢復申請」提出申請（翌日06:00恢復使用）。",
  gate: "閘門",
  at: "遭拒時間",
  none: "最近 30 天沒有停用中通行證被拒通行的紀錄。",
};

// What the client knows of the ID verification budgets (SPEC §5), remembered per account in
// localStorage so that a reload or a new tab still shows it (docs/decisions.md, issue 27):
// the API does not say per row whether a pass is locked, so a locked pass is one whose last
// answer was a 429 (until its Retry-After) or a miss with no attempts left; the account's
// remaining budget is the last one an answer carried (a list's ID filter on others' passes).

const KEY_PREFIX = "portpass.verification.";
const DAY_MS = 24 * 3600 * 1000;

function read(account) {
  try {
    return JSON.parse(localStorage.getItem(KEY_PREFIX + account) ?? "null") ?? { passes: {}, account: 0, budget: null };
  } catch {
    return { passes: {}, account: 0, budget: null };
  }
}

function write(account, value, now) {
  // Expired locks are dropped whenever the store is written.
  value.passes = Object.fromEntries(Object.entries(value.passes).filter(([, until]) => until > now));
  localStorage.setItem(KEY_PREFIX + account, JSON.stringify(value));
}

export function createLocks(accountOf, clock = () => Date.now()) {
  return {
    // Epoch ms until which 取得權限 on this pass is refused (0 when it is not known to be).
    lockedUntil(passNo) {
      const known = read(accountOf());
      const until = Math.max(known.passes[passNo] ?? 0, known.account ?? 0);
      return until > clock() ? until : 0;
    },
    lockPass(passNo, seconds) {
      const now = clock();
      const known = read(accountOf());
      known.passes[passNo] = now + (seconds ?? DAY_MS / 1000) * 1000;
      write(accountOf(), known, now);
    },
    lockAccount(seconds) {
      const now = clock();
      const known = read(accountOf());
      known.account = now + (seconds ?? DAY_MS / 1000) * 1000;
      known.budget = { left: 0, at: now };
      write(accountOf(), known, now);
    },
    // The account's remaining budget as last answered (null when unknown or a day old).
    budgetLeft() {
      const budget = read(accountOf()).budget;
      return budget && clock() - budget.at < DAY_MS ? budget.left : null;
    },
    setBudgetLeft(left) {
      const now = clock();
      const known = read(accountOf());
      known.budget = { left, at: now };
      write(accountOf(), known, now);
    },
    // A miss in the dialog spends one of the account's attempts too.
    spendOne() {
      const left = this.budgetLeft();
      if (left !== null) this.setBudgetLeft(Math.max(0, left - 1));
    },
  };
}

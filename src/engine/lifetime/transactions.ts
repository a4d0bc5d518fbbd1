/**
 * From a transaction log to one summary per customer: the inputs of RFM, BG/NBD and Gamma-Gamma.
 *
 * Dates are Excel serial days (the 1900 system, as the rest of the engine uses; see
 * dateToSerial in ../parse). A fractional part (time of day) is dropped: purchases on the same
 * calendar day are one purchase, as the CDNOW literature counts them.
 *
 * Line kinds:
 * - a purchase line: amount ≥ 0 and an invoice number not starting with "C";
 * - a credit line (credit note, cancellation): amount < 0, or invoice number starting with "C"
 *   (UCI Online Retail). Credits are netted into the customer's revenue as −|amount| (a
 *   cancellation written with a positive amount still takes money back, never adds it); they
 *   never make a purchase day. A credit on a day the customer also bought is netted into that day's spend;
 * - a blank line inside the table (`skip`): left out silently, as any table's blank rows;
 * - a line without a customer id (blank after trimming): counted, never assigned to anyone;
 * - a line with a customer id whose date or amount is not a finite number: counted as unusable.
 * Both kinds are listed by line as well as counted, so a report can name the rows.
 * Lines after the calibration end go to the holdout count (up to the holdout end) and nowhere else.
 *
 * Cost: one pass to index customers (a Map on the id string), one hash pass over
 * (customer, day) pairs; typed arrays throughout, no object per line.
 */

export interface TransactionLog {
  /** Customer id per line; null, undefined or blank = no customer. */
  customer: ArrayLike<string | null | undefined>;
  /** Excel serial day per line (fraction = time of day, ignored). */
  day: ArrayLike<number>;
  /** Net amount per line (quantity × unit price); negative for credits. */
  amount: ArrayLike<number>;
  /** Invoice number per line, optional. Distinct invoices are the orders; "C…" marks a cancellation. */
  invoice?: ArrayLike<string | null | undefined>;
  /** 1 for a blank line inside the table (a table's blank row), left out without a count; optional. */
  skip?: ArrayLike<number>;
}

export interface SummaryOptions {
  /** Last serial day of the calibration period, inclusive. Default: the last day in the log. */
  calibrationEnd?: number;
  /** Last serial day of the holdout period, inclusive. Default: the last day in the log. */
  holdoutEnd?: number;
  /** Days per time unit of t_x and T: 7 = weeks (the default, as published), 1 = days. */
  unitDays?: number;
}

/** One entry per customer, in the order customers first appear in the log. */
export interface CustomerSummaries {
  ids: string[];
  /** First and last purchase day in the calibration period (serial days); NaN without one. */
  firstDay: Float64Array;
  lastDay: Float64Array;
  /** Distinct purchase days in the calibration period. */
  purchaseDays: Int32Array;
  /** Repeat purchases: purchaseDays − 1 (0 for customers without a calibration purchase). */
  x: Float64Array;
  /** Time of the last purchase since the first, in units of unitDays. */
  tx: Float64Array;
  /** Time from the first purchase to the calibration end, in units of unitDays (NaN without a purchase). */
  T: Float64Array;
  /** Distinct orders in the calibration period: purchase invoices when given, else purchase days. */
  orders: Int32Array;
  /** Net revenue in the calibration period: purchases minus credits. */
  revenue: Float64Array;
  /** Mean spend of the repeat purchase days (day sums, first day left out); 0 when x = 0. */
  zbar: Float64Array;
  /** Distinct purchase days after the calibration end up to the holdout end. */
  holdoutPurchases: Int32Array;
  /** 1 when the customer has a purchase in the calibration period (a member of the fitted cohort). */
  inCalibration: Uint8Array;
  calibrationEnd: number;
  holdoutEnd: number;
  unitDays: number;
  lines: {
    /** Every line, blank ones included. */
    total: number;
    /** Blank lines inside the table (TransactionLog.skip). */
    blank: number;
    withoutCustomer: number;
    /** A customer id, but a date or amount that is not a finite number. */
    unusable: number;
    /** Credit lines netted into the calibration period's revenue, and their sum (−|amount| each, so ≤ 0). */
    credits: number;
    creditTotal: number;
    holdout: number;
    /** After the holdout end: ignored. */
    afterHoldout: number;
  };
  /** The lines behind some counts, as 0-based line indexes in log order, for a report that names rows. */
  lineLists: {
    withoutCustomer: number[];
    unusable: number[];
    /** Cancellations ("C…" invoices) written with a positive amount, netted as credits all the same; any period. */
    positiveCancellations: number[];
  };
}

function isCredit(amount: number, invoice: string | null | undefined): boolean {
  return amount < 0 || isCancellationInvoice(invoice);
}

/**
 * Whether an invoice number starts with C (after white space), as UCI Online Retail marks a
 * cancellation. Asked for every line of a log: the first character decides without the regular
 * expression unless it is white space or outside ASCII.
 */
export function isCancellationInvoice(invoice: string | null | undefined): boolean {
  if (typeof invoice !== 'string') return false;
  const first = invoice.charCodeAt(0);
  if (first > 0x20 && first < 0x80) return first === 0x43 || first === 0x63;
  return /^\s*[cC]/.test(invoice);
}

/** What a line adds to revenue: its amount, or −|amount| for a credit, whatever sign it was written with. */
function netAmount(amount: number, credit: boolean): number {
  return credit ? -Math.abs(amount) : amount;
}

/** A growable map from a (customer, day) key to a running sum, in typed arrays. */
class DaySums {
  private readonly slots = new Map<number, number>();
  customer: Int32Array;
  day: Float64Array;
  amount: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.customer = new Int32Array(Math.max(16, capacity));
    this.day = new Float64Array(this.customer.length);
    this.amount = new Float64Array(this.customer.length);
  }

  /** The key and slot of the last add: an order's lines come one after another, same customer, same day. */
  private lastKey = -1;
  private lastSlot = -1;

  add(key: number, customer: number, day: number, amount: number): void {
    const slot = key === this.lastKey ? this.lastSlot : this.slots.get(key);
    if (slot !== undefined) {
      this.amount[slot] += amount;
      this.lastKey = key;
      this.lastSlot = slot;
      return;
    }
    if (this.size === this.customer.length) this.grow();
    this.lastKey = key;
    this.lastSlot = this.size;
    this.slots.set(key, this.size);
    this.customer[this.size] = customer;
    this.day[this.size] = day;
    this.amount[this.size] = amount;
    this.size++;
  }

  /** Doubles the room: a typed array ignores a write past its end, which would lose those days. */
  private grow(): void {
    const customer = new Int32Array(this.customer.length * 2);
    const day = new Float64Array(customer.length);
    const amount = new Float64Array(customer.length);
    customer.set(this.customer);
    day.set(this.day);
    amount.set(this.amount);
    [this.customer, this.day, this.amount] = [customer, day, amount];
  }

  /** Adds to an existing (customer, day) only; reports whether there was one. */
  addIfPresent(key: number, amount: number): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.amount[slot] += amount;
    return true;
  }
}

/**
 * Summarises a transaction log per customer (see the module comment for the rules).
 * @returns typed arrays in the order customers first appear; line counts for the report.
 * @throws RangeError when the columns differ in length.
 */
export function summarizeTransactions(log: TransactionLog, options: SummaryOptions = {}): CustomerSummaries {
  const total = log.day.length;
  if (log.customer.length !== total || log.amount.length !== total || (log.invoice && log.invoice.length !== total)) {
    throw new RangeError('customer, day, amount (and invoice) must have the same length');
  }
  const unitDays = options.unitDays ?? 7;
  const lineCustomer = new Int32Array(total).fill(-1);
  const lineDay = new Float64Array(total);
  const indexOf = new Map<string, number>();
  const ids: string[] = [];
  const counts = { total, blank: 0, withoutCustomer: 0, unusable: 0, credits: 0, creditTotal: 0, holdout: 0, afterHoldout: 0 };
  const lineLists: CustomerSummaries['lineLists'] = { withoutCustomer: [], unusable: [], positiveCancellations: [] };
  let firstSeen = Infinity;
  let lastSeen = -Infinity;
  // A log lists a customer's lines one after another, each holding the same string: comparing with
  // the line before (a pointer comparison for the same string) spares the trim and the Map lookup.
  let previousRaw: string | null | undefined | typeof NOT_SEEN = NOT_SEEN;
  let previousIndex = NO_CUSTOMER;
  for (let line = 0; line < total; line++) {
    if (log.skip?.[line] === 1) {
      counts.blank++;
      continue;
    }
    const raw = log.customer[line];
    if (raw !== previousRaw) {
      previousRaw = raw;
      previousIndex = hasCustomerId(raw) ? NOT_LOOKED_UP : NO_CUSTOMER;
    }
    if (previousIndex === NO_CUSTOMER) {
      counts.withoutCustomer++;
      lineLists.withoutCustomer.push(line);
      continue;
    }
    const day = Math.floor(log.day[line]);
    if (!Number.isFinite(day) || !Number.isFinite(log.amount[line])) {
      counts.unusable++;
      lineLists.unusable.push(line);
      continue;
    }
    // Looked up only now: a customer whose every line is unusable never becomes one.
    if (previousIndex === NOT_LOOKED_UP) previousIndex = customerIndex(raw, indexOf, ids);
    lineCustomer[line] = previousIndex;
    lineDay[line] = day;
    if (day < firstSeen) firstSeen = day;
    if (day > lastSeen) lastSeen = day;
  }
  const calibrationEnd = options.calibrationEnd ?? lastSeen;
  const holdoutEnd = options.holdoutEnd ?? Math.max(lastSeen, calibrationEnd);
  const span = Math.max(1, holdoutEnd - firstSeen + 1);
  const n = ids.length;
  const result = emptySummaries(ids, calibrationEnd, holdoutEnd, unitDays, counts, lineLists);
  const calibrationDays = new DaySums(Math.min(total, 1 << 16));
  const holdoutDays = new Set<number>();
  const credits: number[] = [];
  for (let line = 0; line < total; line++) {
    const customer = lineCustomer[line];
    if (customer < 0) continue;
    const day = lineDay[line];
    const credit = isCredit(log.amount[line], log.invoice?.[line]);
    const amount = netAmount(log.amount[line], credit);
    // A credit with a positive amount is a "C…" invoice (isCredit): a cancellation written the wrong way round.
    if (credit && log.amount[line] > 0) lineLists.positiveCancellations.push(line);
    if (day > holdoutEnd) {
      counts.afterHoldout++;
    } else if (day > calibrationEnd) {
      counts.holdout++;
      const key = customer * span + (day - firstSeen);
      if (!credit && !holdoutDays.has(key)) {
        holdoutDays.add(key);
        result.holdoutPurchases[customer]++;
      }
    } else {
      result.revenue[customer] += amount;
      if (credit) {
        credits.push(line);
        counts.credits++;
        counts.creditTotal += amount;
      } else calibrationDays.add(customer * span + (day - firstSeen), customer, day, amount);
    }
  }
  for (const line of credits) {
    const customer = lineCustomer[line];
    calibrationDays.addIfPresent(customer * span + (lineDay[line] - firstSeen), netAmount(log.amount[line], true));
  }
  summariseDays(result, calibrationDays);
  countOrders(result, log, lineCustomer, lineDay, calibrationEnd);
  for (let c = 0; c < n; c++) result.revenue[c] = roundCents(result.revenue[c]);
  counts.creditTotal = roundCents(counts.creditTotal);
  return result;
}

/** Stands for "no line before" where a line's customer or invoice is compared with the previous line's. */
const NOT_SEEN = Symbol('not seen');

/** The customer index of a line without a customer id; and of a line whose id has not been looked up yet. */
const NO_CUSTOMER = -1;
const NOT_LOOKED_UP = -2;

function hasCustomerId(raw: string | null | undefined): boolean {
  return raw != null && String(raw).trim() !== '';
}

/** The customer index of an id as written on a line (trimmed; a new index the first time), -1 for none. */
function customerIndex(raw: string | null | undefined, indexOf: Map<string, number>, ids: string[]): number {
  const id = raw == null ? '' : String(raw).trim();
  if (!id) return -1;
  let index = indexOf.get(id);
  if (index === undefined) {
    index = ids.length;
    indexOf.set(id, index);
    ids.push(id);
  }
  return index;
}

/** Sums of money in floating point drift (0.1 + 0.2); the log's amounts are in cents at most. */
function roundCents(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function emptySummaries(
  ids: string[], calibrationEnd: number, holdoutEnd: number, unitDays: number, lines: CustomerSummaries['lines'], lineLists: CustomerSummaries['lineLists'],
): CustomerSummaries {
  const n = ids.length;
  return {
    ids,
    firstDay: new Float64Array(n).fill(NaN), lastDay: new Float64Array(n).fill(NaN),
    purchaseDays: new Int32Array(n), x: new Float64Array(n), tx: new Float64Array(n), T: new Float64Array(n).fill(NaN),
    orders: new Int32Array(n), revenue: new Float64Array(n), zbar: new Float64Array(n),
    holdoutPurchases: new Int32Array(n), inCalibration: new Uint8Array(n),
    calibrationEnd, holdoutEnd, unitDays, lines, lineLists,
  };
}

/** First and last day, day count, x, t_x, T and z̄ from the (customer, day) sums. */
function summariseDays(result: CustomerSummaries, days: DaySums): void {
  const spend = new Float64Array(result.ids.length);
  for (let s = 0; s < days.size; s++) {
    const c = days.customer[s];
    const day = days.day[s];
    result.purchaseDays[c]++;
    spend[c] += days.amount[s];
    if (!(day >= result.firstDay[c])) result.firstDay[c] = day;
    if (!(day <= result.lastDay[c])) result.lastDay[c] = day;
  }
  const firstDaySpend = new Float64Array(result.ids.length);
  for (let s = 0; s < days.size; s++) {
    if (days.day[s] === result.firstDay[days.customer[s]]) firstDaySpend[days.customer[s]] = days.amount[s];
  }
  for (let c = 0; c < result.ids.length; c++) {
    if (result.purchaseDays[c] === 0) continue;
    const x = result.purchaseDays[c] - 1;
    result.inCalibration[c] = 1;
    result.x[c] = x;
    result.tx[c] = (result.lastDay[c] - result.firstDay[c]) / result.unitDays;
    result.T[c] = (result.calibrationEnd - result.firstDay[c]) / result.unitDays;
    result.zbar[c] = x > 0 ? roundCents((spend[c] - firstDaySpend[c]) / x) : 0;
    result.orders[c] = result.purchaseDays[c];
  }
}

/** Orders = distinct purchase invoices per customer when invoice numbers are given (else days, set above). */
function countOrders(result: CustomerSummaries, log: TransactionLog, lineCustomer: Int32Array, lineDay: Float64Array, calibrationEnd: number): void {
  if (!log.invoice) return;
  result.orders.fill(0);
  const invoiceIndex = new Map<string, number>();
  const seen = new Set<number>();
  // An order's lines follow one another with the same invoice string: the line before decides without a lookup.
  let previousRaw: string | null | undefined | typeof NOT_SEEN = NOT_SEEN;
  let previousIndex = -1;
  let previousKey = -1;
  for (let line = 0; line < lineCustomer.length; line++) {
    const customer = lineCustomer[line];
    if (customer < 0 || lineDay[line] > calibrationEnd) continue;
    const raw = log.invoice[line];
    if (isCredit(log.amount[line], raw)) continue;
    if (raw !== previousRaw) {
      previousRaw = raw;
      previousIndex = invoiceIndexOf(raw, invoiceIndex);
    }
    const index = previousIndex;
    if (index < 0) {
      // A purchase line without an invoice number is an order of its own day.
      const key = -(customer * 1e6 + lineDay[line]) - 1;
      if (!seen.has(key)) { seen.add(key); result.orders[customer]++; }
      continue;
    }
    // A small integer key where it can be (the customer count times the invoice count under 2^31): a large one is a heap number per line.
    const key = index * result.ids.length + customer;
    // The line before, same order and customer, has added this key already.
    if (key === previousKey) continue;
    previousKey = key;
    if (!seen.has(key)) {
      seen.add(key);
      result.orders[customer]++;
    }
  }
}

/** The index of an invoice number as written on a line (trimmed; a new index the first time), -1 for none. */
function invoiceIndexOf(raw: string | null | undefined, invoiceIndex: Map<string, number>): number {
  const invoice = raw == null ? '' : String(raw).trim();
  if (!invoice) return -1;
  let index = invoiceIndex.get(invoice);
  if (index === undefined) {
    index = invoiceIndex.size;
    invoiceIndex.set(invoice, index);
  }
  return index;
}

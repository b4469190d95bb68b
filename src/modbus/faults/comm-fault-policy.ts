/**
 * The set of active communication faults and the decision, per request, of what a transport must
 * do. Pure logic: time comes from an injected clock, chance from a seeded generator, so a run
 * replays identically. Transports call `decide` through a hook bound to their endpoint; with no
 * active fault it returns undefined at the cost of one length check.
 */
import type {
  ActiveCommFault,
  CommFaultDecision,
  CommFaultSpec,
  CommRequestInfo,
  FrameMutation,
} from './comm-fault.js';
import type { FramingDescriptor } from '../framing/framing-descriptor.js';
import { parseCommFaultSpec } from './comm-fault-schema.js';
import { seededRandom, type RandomSource } from '../../common/seeded-random.js';

/** What a transport holds: the policy bound to its endpoint and framing. */
export interface CommFaultHook {
  readonly endpoint: string;
  /** How answers are framed on the endpoint: decides which faults make sense there. */
  readonly framing: FramingDescriptor;
  /** undefined: no fault, answer normally. */
  decide(request: CommRequestInfo): CommFaultDecision | undefined;
}

export interface CommFaultPolicyOptions {
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Seed for rates and jitter (default 1). */
  seed?: number;
}

export type CommFaultListener = (event: { type: 'applied' | 'cleared' | 'fired'; fault: ActiveCommFault }) => void;

export class CommFaultPolicy {
  private readonly now: () => number;
  private readonly random: RandomSource;
  private faultList: ActiveCommFault[] = [];
  /** Bumped whenever the set of faults changes: hooks rebuild their per-unit candidate lists. */
  private version = 0;
  /** The earliest `expiresAtMs` of any fault (Infinity: none expires by time). */
  private nextExpiryMs = Number.POSITIVE_INFINITY;
  /** A fault's count ran out and it has not been dropped yet. */
  private spent = false;
  private nextId = 1;
  private readonly listeners = new Set<CommFaultListener>();

  private get faults(): ActiveCommFault[] {
    return this.faultList;
  }

  private set faults(faults: ActiveCommFault[]) {
    this.faultList = faults;
    this.version += 1;
    let next = Number.POSITIVE_INFINITY;
    for (const f of faults) if (f.expiresAtMs !== undefined && f.expiresAtMs < next) next = f.expiresAtMs;
    this.nextExpiryMs = next;
  }

  constructor(options: CommFaultPolicyOptions = {}) {
    this.now = options.now ?? Date.now;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Validate and activate a fault; returns it with its id. Throws RangeError on a bad spec. */
  apply(spec: CommFaultSpec): ActiveCommFault {
    const valid = parseCommFaultSpec(spec);
    const appliedAtMs = this.now();
    const fault: ActiveCommFault = {
      id: `f${this.nextId++}`,
      spec: valid,
      appliedAtMs,
      fired: 0,
      expiresAtMs: valid.durationMs === undefined ? undefined : appliedAtMs + valid.durationMs,
      remaining: valid.count,
    };
    this.faults = [...this.faults, fault];
    this.emit('applied', fault);
    return fault;
  }

  /** Clear one fault by id; false when there is no such active fault. */
  clear(id: string): boolean {
    const fault = this.faults.find((f) => f.id === id);
    if (fault === undefined) return false;
    this.faults = this.faults.filter((f) => f !== fault);
    this.emit('cleared', fault);
    return true;
  }

  /** Clear every fault whose scope matches the given endpoint/unit (all faults when omitted); returns how many. */
  clearAll(filter: { endpoint?: string; unitId?: number } = {}): number {
    const doomed = this.faults.filter(
      (f) =>
        (filter.endpoint === undefined || f.spec.scope?.endpoint === filter.endpoint) &&
        (filter.unitId === undefined || f.spec.scope?.unitId === filter.unitId),
    );
    for (const fault of doomed) this.clear(fault.id);
    return doomed.length;
  }

  /** The faults still active now (expired ones are dropped first). */
  list(): ActiveCommFault[] {
    this.expire();
    return this.faults.map((f) => ({ ...f }));
  }

  /** How many faults are active now (expired ones are dropped first). */
  get activeCount(): number {
    this.expire();
    return this.faults.length;
  }

  onChange(listener: CommFaultListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Bind to one endpoint: what a transport keeps and calls per request. The hook keeps, per unit
   * id, the faults that can match it (scoped to this endpoint and unit, or wider), rebuilt when
   * the set of faults changes: a request costs as much as the faults that concern its unit, not
   * every active fault of the panel.
   */
  forEndpoint(endpoint: string, framing: FramingDescriptor): CommFaultHook {
    const byUnit = new Map<number, ActiveCommFault[]>();
    let builtFor = -1;
    const candidates = (unitId: number): ActiveCommFault[] => {
      if (builtFor !== this.version) {
        byUnit.clear();
        builtFor = this.version;
      }
      let list = byUnit.get(unitId);
      if (list === undefined) {
        list = this.faults.filter((f) => {
          const scope = f.spec.scope;
          return scope === undefined || ((scope.endpoint === undefined || scope.endpoint === endpoint) && (scope.unitId === undefined || scope.unitId === unitId));
        });
        byUnit.set(unitId, list);
      }
      return list;
    };
    return {
      endpoint,
      framing,
      decide: (request) => {
        if (this.faults.length === 0) return undefined;
        this.expire();
        const list = candidates(request.unitId);
        return list.length === 0 ? undefined : this.decideAmong(list, endpoint, framing, request);
      },
    };
  }

  /** What to do with one request on `endpoint`; undefined when no fault fires. */
  decide(endpoint: string, framing: FramingDescriptor, request: CommRequestInfo): CommFaultDecision | undefined {
    this.expire();
    if (this.faults.length === 0) return undefined;
    return this.decideAmong(this.faults, endpoint, framing, request);
  }

  private decideAmong(faults: readonly ActiveCommFault[], endpoint: string, framing: FramingDescriptor, request: CommRequestInfo): CommFaultDecision | undefined {
    let delayMs = 0;
    let outcome: CommFaultDecision['outcome'] = 'answer';
    let exceptionCode = 0;
    let mutations: FrameMutation[] | undefined;
    let fired: ActiveCommFault[] | undefined;

    // Two passes over the faults: outcomes (delay, silence, exception, disconnect) first, then the
    // mutations of what is sent, so a mutation is never consumed by an exchange that sends nothing.
    // No allocation until something fires.
    for (let index = 0; index < faults.length * 2; index++) {
      const fault = faults[index % faults.length];
      const spec = fault.spec;
      if (isMutation(spec.kind) !== index >= faults.length) continue;
      if (!matches(spec, endpoint, request)) continue;
      if (!appliesTo(spec, framing)) continue;
      const terminal = spec.kind === 'no-response' || spec.kind === 'exception' || spec.kind === 'disconnect';
      // Once the request is silenced or answered by an exception, later outcomes cannot fire;
      // once nothing will be sent, mutations cannot either.
      if (terminal && outcome !== 'answer') continue;
      if (isMutation(spec.kind) && (outcome === 'silence' || outcome === 'disconnect')) continue;
      if (spec.rate !== undefined && spec.rate < 1 && this.random.next() >= spec.rate) continue;

      switch (spec.kind) {
        case 'delay': {
          const jitter = spec.jitterMs ?? 0;
          const offset = jitter > 0 ? (this.random.next() * 2 - 1) * jitter : 0;
          delayMs += Math.max(0, spec.delayMs + offset);
          break;
        }
        case 'no-response':
          outcome = 'silence';
          break;
        case 'disconnect':
          outcome = 'disconnect';
          break;
        case 'exception':
          outcome = 'exception';
          exceptionCode = spec.code;
          break;
        case 'corrupt-crc':
          (mutations ??= []).push({ kind: 'corrupt-crc' });
          break;
        case 'truncate':
          (mutations ??= []).push({ kind: 'truncate', bytes: spec.bytes });
          break;
        case 'extra-bytes':
          (mutations ??= []).push({ kind: 'extra-bytes', bytes: spec.bytes });
          break;
        case 'wrong-unit-id':
          (mutations ??= []).push({ kind: 'wrong-unit-id', unitId: spec.unitId ?? (request.unitId + 1) % 256 });
          break;
        case 'wrong-transaction-id':
          (mutations ??= []).push({ kind: 'wrong-transaction-id' });
          break;
      }
      fault.fired += 1;
      if (fault.remaining !== undefined) {
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.spent = true;
      }
      (fired ??= []).push(fault);
    }

    if (fired === undefined) return undefined;
    for (const fault of fired) this.emit('fired', fault);
    this.expire();
    return { delayMs, outcome, exceptionCode, mutations: mutations ?? [], firedFaultIds: fired.map((f) => f.id) };
  }

  private expire(): void {
    if (this.faults.length === 0) return;
    // Cheap when nothing can be due: no count ran out and the earliest expiry is still ahead.
    if (!this.spent && (this.nextExpiryMs === Number.POSITIVE_INFINITY || this.now() < this.nextExpiryMs)) return;
    this.spent = false;
    let due = false;
    let now = Number.NaN;
    for (const f of this.faults) {
      if (f.remaining !== undefined && f.remaining <= 0) due = true;
      else if (f.expiresAtMs !== undefined) {
        if (Number.isNaN(now)) now = this.now();
        if (now >= f.expiresAtMs) due = true;
      }
      if (due) break;
    }
    if (!due) return;
    if (Number.isNaN(now)) now = this.now();
    const done = this.faults.filter(
      (f) => (f.remaining !== undefined && f.remaining <= 0) || (f.expiresAtMs !== undefined && now >= f.expiresAtMs),
    );
    if (done.length === 0) return;
    this.faults = this.faults.filter((f) => !done.includes(f));
    for (const fault of done) this.emit('cleared', fault);
  }

  private emit(type: 'applied' | 'cleared' | 'fired', fault: ActiveCommFault): void {
    for (const listener of this.listeners) listener({ type, fault: { ...fault } });
  }
}

function matches(spec: CommFaultSpec, endpoint: string, request: CommRequestInfo): boolean {
  const scope = spec.scope;
  if (scope === undefined) return true;
  if (scope.endpoint !== undefined && scope.endpoint !== endpoint) return false;
  if (scope.unitId !== undefined && scope.unitId !== request.unitId) return false;
  if (scope.functionCodes !== undefined && !scope.functionCodes.includes(request.functionCode)) return false;
  return true;
}

/** CRC faults only exist in a framing with a checksum (RTU), transaction ids only in one with them (MBAP). */
function appliesTo(spec: CommFaultSpec, framing: FramingDescriptor): boolean {
  if (spec.kind === 'corrupt-crc') return framing.checksumLength > 0;
  if (spec.kind === 'wrong-transaction-id') return framing.transactionIdOffset !== undefined;
  return true;
}

function isMutation(kind: CommFaultSpec['kind']): boolean {
  return (
    kind === 'corrupt-crc' ||
    kind === 'truncate' ||
    kind === 'extra-bytes' ||
    kind === 'wrong-unit-id' ||
    kind === 'wrong-transaction-id'
  );
}

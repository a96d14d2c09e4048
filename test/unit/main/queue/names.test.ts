import { describe, expect, it } from 'vitest';
import { RunRefSchema } from '../../../../common/api';
import { jobIdOf, newNamespace, resultKey, runIdOf, stopKey, trialOfJob } from '../../../../main/queue/names';

describe('queue names', () => {
  it('namespaces job ids by sweep and a random part: two sweeps with one id never share a job', () => {
    const a = newNamespace('sweep-2026-12-02T01-40-12');
    const b = newNamespace('sweep-2026-12-02T01-40-12');
    expect(a).toMatch(/^sweep-2026-12-02T01-40-12\.[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(jobIdOf(a, 3)).not.toBe(jobIdOf(b, 3));
    expect(trialOfJob(a, jobIdOf(a, 3))).toBe(3);
    expect(trialOfJob(a, jobIdOf(b, 3))).toBeNull();
    expect(trialOfJob(a, `${a}.t3x`)).toBeNull();
    expect(jobIdOf(a, 0)).not.toContain(':'); // BullMQ refuses ":" in custom ids
  });

  it('gives each trial one run id, a valid folder name, the same for the owner and every worker', () => {
    const namespace = 'sweep-2026-12-02T01-40-12.9f3c2a8b1d0e';
    const trial = { index: 2, hyperparams: { cell: 'gru', units: 64, layers: 2 } };
    expect(runIdOf(namespace, trial)).toBe('2026-12-02T01-40-12-9f3c2a-t3-gru64x2');
    expect(RunRefSchema.safeParse({ runId: runIdOf(namespace, trial) }).success).toBe(true);
    expect(RunRefSchema.safeParse({ runId: runIdOf('sweep-_odd.name.0123456789ab', trial) }).success).toBe(true);
  });

  it('keeps a result under its checksum, so an upload cannot overwrite another', () => {
    expect(resultKey('j', 'a'.repeat(64))).not.toBe(resultKey('j', 'b'.repeat(64)));
    expect(stopKey('j')).toMatch(/^lstm-studio:trial:j:stop$/);
  });
});

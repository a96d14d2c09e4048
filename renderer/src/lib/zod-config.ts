/**
 * Imported first by main.ts. Zod 4 probes for `new Function` (to compile fast parsers) on its
 * first parse; under our CSP (no 'unsafe-eval') that probe is blocked and reported as a
 * security-policy violation even though zod recovers. Jitless mode skips the probe.
 */
import { z } from 'zod';

z.config({ jitless: true });

import { generateDrawnPanelSet } from '../scripts/gen-panels-drawn.js';
const codes = ['H93', 'A39', 'E33', 'F-35', 'ERR 43', 'E371', 'F-93', 'AL930', 'C-63', 'FLT 39', 'E-353', 'H39'];
const texts = codes.flatMap((t) => [{ text: t, kind: 'alarm' as const, display: 'fourteen-segment' as const }, { text: t, kind: 'alarm' as const, display: 'sixteen-segment' as const }]);
await generateDrawnPanelSet({ outDir: '/work/sets-i11h/threes', count: 36, seed: 11813, texts });

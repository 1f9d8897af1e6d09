// The one-line service status (sd_notify STATUS=, `systemctl status`): what the
// daemon is doing, built from the components' health records so each figure
// is one a component measured ("monitoring · 1 fault raised · outbox 0 ·
// camera 2.0 fps"), followed by any component's problems.

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Builds the status line from `{componentName: health()}` and the components' problems. */
export function statusSummary(health: Rec, problems: string[], state = 'monitoring'): string {
  const parts: string[] = [state];
  let raised: string[] | undefined;
  let outboxDepth: number | undefined;
  const sources: string[] = [];
  let anomalyOff = false;
  for (const [name, h] of Object.entries(health)) {
    if (!isRec(h)) continue;
    if (Array.isArray(h.raised)) raised = [...(raised ?? []), ...h.raised.map(String)];
    if (isRec(h.outbox) && typeof h.outbox.depth === 'number') outboxDepth = (outboxDepth ?? 0) + h.outbox.depth;
    if ((h.kind === 'camera' || h.kind === 'microphone') && typeof h.rate === 'number') {
      const unit = h.kind === 'camera' ? 'fps' : 'windows/s';
      const state = typeof h.state === 'string' && h.state !== 'online' ? ` ${h.state}` : '';
      sources.push(`${name} ${h.rate.toFixed(1)} ${unit}${state}`);
    }
    if (isRec(h.baseline) && h.baseline.active === false) anomalyOff = true;
  }
  if (raised) parts.push(raised.length === 1 ? `1 fault raised (${raised[0]})` : `${raised.length} faults raised`);
  if (outboxDepth !== undefined) parts.push(`outbox ${outboxDepth}`);
  parts.push(...sources);
  if (anomalyOff) parts.push('anomaly detection off (no baseline)');
  const line = parts.join(' · ');
  return problems.length ? `${line} · PROBLEM: ${problems.join('; ')}` : line;
}

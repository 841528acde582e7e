// The resume rules (docs/protocol.md, "Resume rules"), one decision for every stream: a user's own
// and the broadcast stream answer a cursor the same way.
import type { Cursor } from '../../protocol';
import type { ResumeCheck } from '../ports';

export interface StreamBounds {
  /** The last seq written (0 if none). */
  head: number;
  /** The last seq pruned (0 if none): events after it are all still there. */
  floor: number;
}

export function checkResumeAgainst(epoch: string, bounds: StreamBounds, resume: Cursor | null): ResumeCheck {
  const { head, floor } = bounds;
  const headCursor = { epoch, seq: head };
  if (resume === null) return { status: 'ok', afterSeq: head };
  if (resume.epoch !== epoch) return { status: 'reset', reason: 'epoch_changed', head: headCursor };
  if (resume.seq > head) return { status: 'reset', reason: 'ahead', head: headCursor };
  // Events up to `floor` were pruned: a cursor below it would silently skip them.
  if (resume.seq < floor) return { status: 'reset', reason: 'expired', head: headCursor };
  return { status: 'ok', afterSeq: resume.seq };
}

// `GET /claims/{id}/receipts/{receiptId}`: a receipt's bytes, under exactly the claim's visibility rule
// (a claim the caller may not see answers 404, like one that does not exist). The response is built
// so that no browser or viewer treats it as anything but a download of the sniffed type.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ClaimId, RECEIPT_RESPONSE_HEADERS, ReceiptId } from '../../../protocol';
import { ReceiptStore } from '../../claims/receipts';
import type { Backend } from '../backend';
import { notFound, parseOr400 } from '../http-error';
import { sessionOf } from '../request-context';

const ReceiptParams = z.object({ id: ClaimId, receiptId: ReceiptId }).strict();

/**
 * `attachment` with an ASCII fallback name and the exact name in RFC 5987 form, so no character of a
 * submitter's file name can break out of the header.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function registerReceiptRoutes(app: FastifyInstance, backend: Backend): void {
  const receipts = new ReceiptStore(backend.db);
  app.get('/claims/:id/receipts/:receiptId', async (request, reply) => {
    const { id, receiptId } = parseOr400(ReceiptParams, request.params, 'receipt id');
    if (!backend.claims.isVisibleTo(id, sessionOf(request).user.id)) throw notFound(`no claim ${id}`);
    const receipt = receipts.content(id, receiptId);
    if (!receipt) throw notFound(`claim ${id} has no receipt ${receiptId}`);
    return reply
      .headers({
        ...RECEIPT_RESPONSE_HEADERS,
        'content-type': receipt.media_type,
        'content-disposition': contentDisposition(receipt.name),
      })
      .send(receipt.content);
  });
}

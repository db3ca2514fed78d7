export interface PageInfo {
  total: number;
  limit: number;
  offset: number;
  from: number;
  to: number;
  page: number;
  pageCount: number;
  prevOffset: number | null;
  nextOffset: number | null;
  lastOffset: number;
}

export function pageInfo(total: number, limit: number, offset: number, shown?: number): PageInfo {
  const safeLimit = Math.max(1, Math.floor(limit));
  const safeTotal = Math.max(0, Math.floor(total));
  const safeOffset = Math.max(0, Math.floor(offset));
  const rows = shown ?? Math.max(0, Math.min(safeLimit, safeTotal - safeOffset));
  const pageCount = Math.max(1, Math.ceil(safeTotal / safeLimit));
  const lastOffset = (pageCount - 1) * safeLimit;
  return {
    total: safeTotal,
    limit: safeLimit,
    offset: safeOffset,
    from: rows > 0 ? safeOffset + 1 : 0,
    to: safeOffset + rows,
    page: Math.floor(safeOffset / safeLimit) + 1,
    pageCount,
    prevOffset: safeOffset > 0 ? Math.max(0, safeOffset - safeLimit) : null,
    nextOffset: safeOffset + safeLimit < safeTotal ? safeOffset + safeLimit : null,
    lastOffset,
  };
}

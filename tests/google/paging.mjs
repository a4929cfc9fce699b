// Opaque page tokens for list methods.
//
// Google documents nextPageToken/pageToken only as opaque strings
// (https://developers.google.com/workspace/admin/directory/v1/guides/manage-users#get_all_domain_users:
// "If the response has a nextPageToken, pass it as pageToken to get the next page"; the last
// page has no nextPageToken). Here a token is base64url JSON of {view, key of the last item
// returned, random nonce}. Paging is keyset-based: the next page starts after that key, so an
// insertion or deletion between two page fetches neither repeats nor skips other items.

import { randomBytes } from "node:crypto";

/** Lexicographic compare of [value, seq] keys; `desc` flips the order. */
export function compareKeys(a, b, desc = false) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return desc ? 1 : -1;
    if (a[i] > b[i]) return desc ? -1 : 1;
  }
  return 0;
}

export function encodePageToken(view, lastKey) {
  const payload = JSON.stringify({ v: view, k: lastKey, n: randomBytes(6).toString("base64url") });
  return Buffer.from(payload).toString("base64url");
}

/** @returns the last key, or null when the token is not one of ours for this view. */
export function decodePageToken(token, view) {
  try {
    const p = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (!p || p.v !== view || !Array.isArray(p.k)) return null;
    return p.k;
  } catch {
    return null;
  }
}

/**
 * One page of `items` (already sorted by keyOf/desc) after `lastKey` (or from the start).
 * @returns {{items: any[], nextKey: any[]|null}}
 */
export function pageAfter(items, keyOf, lastKey, maxResults, desc = false) {
  let start = 0;
  if (lastKey) {
    // first index whose key sorts after lastKey
    let lo = 0, hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(keyOf(items[mid]), lastKey, desc) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = items.slice(start, start + maxResults);
  const more = start + maxResults < items.length;
  return { items: page, nextKey: more ? keyOf(page[page.length - 1]) : null };
}

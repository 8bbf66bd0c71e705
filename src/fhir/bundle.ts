/** Bundles the engine returns: searchset and history (http://hl7.org/fhir/R4/bundle.html). */
import type { Bundle, BundleEntry, BundleLink, FhirResource } from 'fhir/r4.js';
import { isoInstant } from './instant-text.js';

export function searchset(
  resources: FhirResource[],
  opts: { baseUrl: string; links: BundleLink[]; total?: number; included?: FhirResource[] },
): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(opts.total !== undefined ? { total: opts.total } : {}),
    link: opts.links,
    entry: [
      ...resources.map((resource) => entry(resource, opts.baseUrl, 'match')),
      ...(opts.included ?? []).map((resource) => entry(resource, opts.baseUrl, 'include')),
    ],
  };
}

function entry(resource: FhirResource, baseUrl: string, mode: 'match' | 'include'): BundleEntry {
  return { fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`, resource, search: { mode } };
}

export interface HistoryItem {
  resource: FhirResource;
  method: 'POST' | 'PUT' | 'DELETE';
  versionId: string;
  lastUpdated: Date;
}

export function history(items: HistoryItem[], opts: { baseUrl: string; links: BundleLink[] }): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: items.length,
    link: opts.links,
    entry: items.map(({ resource, method, versionId, lastUpdated }) => {
      const url = `${resource.resourceType}/${resource.id}`;
      return {
        fullUrl: `${opts.baseUrl}/${url}`,
        ...(method === 'DELETE' ? {} : { resource }),
        request: { method, url: method === 'POST' ? resource.resourceType : url },
        response: {
          status: method === 'POST' ? '201' : method === 'DELETE' ? '204' : '200',
          etag: `W/"${versionId}"`,
          lastModified: isoInstant(lastUpdated),
        },
      };
    }),
  };
}

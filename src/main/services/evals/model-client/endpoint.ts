/**
 * The one URL a run may call: `{baseUrl}/chat/completions`, where baseUrl is
 * exactly what the signed model-access bundle names. Anything that would
 * widen it (credentials in the URL, a query, a fragment, another scheme) is
 * refused rather than normalised away, and every request is re-checked
 * against the base's origin and path prefix before it is sent.
 */
import { AirlockError } from '../../../../shared/errors';

export interface ModelEndpoint {
  /** The parsed baseUrl. */
  base: URL;
  /** The base path with one trailing slash; every request path must start with it. */
  pathPrefix: string;
  /** `{baseUrl}/chat/completions`. */
  chatCompletions: URL;
}

export function resolveModelEndpoint(baseUrl: string): ModelEndpoint {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw badUrl(`The engagement's baseUrl is not a URL. Ask the provider for a model-access bundle with a valid http(s) baseUrl.`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw badUrl(`The engagement's baseUrl uses ${base.protocol.replace(/:$/, '')}, not http or https. Ask the provider for a bundle with an http(s) baseUrl.`);
  }
  if (base.username || base.password) {
    throw badUrl(`The engagement's baseUrl carries a user name or password; credentials travel only in the encrypted credential file. Ask the provider for a corrected bundle.`);
  }
  if (base.search || base.hash || baseUrl.includes('?') || baseUrl.includes('#')) {
    throw badUrl(`The engagement's baseUrl has a query or fragment; it must be a plain base such as https://host/v1. Ask the provider for a corrected bundle.`);
  }
  const pathPrefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const chatCompletions = new URL(`${pathPrefix}chat/completions`, base.origin);
  const endpoint = { base, pathPrefix, chatCompletions };
  assertWithinBase(chatCompletions, endpoint);
  return endpoint;
}

/** True when `url` has the base's origin and lies under its path prefix. */
export function isWithinBase(url: URL | string, endpoint: Pick<ModelEndpoint, 'base' | 'pathPrefix'>): boolean {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  return (
    u.origin === endpoint.base.origin &&
    u.protocol === endpoint.base.protocol &&
    !u.username &&
    !u.password &&
    u.pathname.startsWith(endpoint.pathPrefix)
  );
}

export function assertWithinBase(url: URL, endpoint: Pick<ModelEndpoint, 'base' | 'pathPrefix'>): void {
  if (!isWithinBase(url, endpoint)) {
    throw badUrl(`Refused a request to ${url.origin}${url.pathname}: it is outside the engagement's baseUrl ${endpoint.base.origin}${endpoint.pathPrefix}.`);
  }
}

function badUrl(message: string): AirlockError {
  return new AirlockError('model.bad-url', message);
}

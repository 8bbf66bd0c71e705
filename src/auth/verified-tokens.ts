/**
 * Bearer tokens already verified, with their claims, until they expire: a client sends the same
 * token on every call, and decoding it, hashing it for the JWT library's own cache and looking
 * that up cost more than the rest of authentication. Only tokens that passed verification
 * (signature, algorithm, exp, nbf) enter; a hit is refused again once `exp` has passed.
 * What can revoke a token sooner (a password change) is checked on every request by the caller.
 */
const MAX_ENTRIES = 10_000;

export interface VerifiedClaims {
  exp?: number;
}

export class VerifiedTokens<C extends VerifiedClaims> {
  private readonly entries = new Map<string, C>();

  get(token: string, nowSeconds = Date.now() / 1000): C | undefined {
    const claims = this.entries.get(token);
    if (!claims) return undefined;
    if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: C) {
    // A token without exp is verified every time rather than remembered for ever.
    if (typeof claims.exp !== 'number') return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, claims);
  }
}

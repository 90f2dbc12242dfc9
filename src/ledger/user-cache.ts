import { sha256Hex } from "../lib/digest";
import { newId } from "../lib/ids";
import type { AllocationInput } from "../services/payout-users/allocations";
import { userHash } from "../services/payout-users/hash";
import type { KnownUser } from "./allocation-outcomes";
import type { AllocationRequest } from "./types";

/** At most this many users are kept; beyond it the oldest is forgotten first. */
export const maxKnownUsers = 50_000;

/**
 * The payout users a BalanceLedger has seen, by email. A user's id, hash and hash digest never
 * change, so a top-up needs no hashing, and the Worker gets the hash without computing it again.
 */
export class UserCache {
  private readonly users = new Map<string, KnownUser>();

  constructor(private readonly hashSecret: string) {}

  /**
   * The row an allocation writes. A known user brings its own id and digest (the insert then only
   * tops up); an unknown email gets a freshly minted id and hash in `fresh`, used only if this
   * allocation really creates the user (see `written`).
   */
  async input(request: AllocationRequest, ord: number, fresh: Map<string, KnownUser>): Promise<AllocationInput> {
    let user = this.users.get(request.email) ?? fresh.get(request.email);
    if (!user) {
      user = await this.derive(newId("payoutUser"));
      fresh.set(request.email, user);
    }
    return {
      ord,
      email: request.email,
      amount: BigInt(request.amount),
      txId: newId("payoutUserTransaction"),
      newUserId: user.id,
      newHashDigest: user.digest,
      idempotencyKey: request.idempotencyKey ?? null,
      idempotencyFingerprint: request.idempotencyKey === undefined ? null : (request.fingerprint ?? null),
    };
  }

  /** The user a write answered with: the one minted for it, if the write created it, else `known`. */
  async written(email: string, id: string, fresh: Map<string, KnownUser>): Promise<KnownUser> {
    const minted = fresh.get(email);
    return minted?.id === id ? this.remember(email, minted) : this.known(email, id);
  }

  /** The user with this id, from memory or by deriving its hash. */
  async known(email: string, id: string): Promise<KnownUser> {
    const user = this.users.get(email);
    if (user?.id === id) return user;
    return this.remember(email, await this.derive(id));
  }

  private async derive(id: string): Promise<KnownUser> {
    const hash = await userHash(this.hashSecret, id);
    return { id, hash, digest: await sha256Hex(hash) };
  }

  private remember(email: string, user: KnownUser): KnownUser {
    if (this.users.size >= maxKnownUsers) this.users.delete(this.users.keys().next().value!);
    this.users.set(email, user);
    return user;
  }
}

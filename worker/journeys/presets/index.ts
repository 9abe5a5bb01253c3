import type { Flow } from '../flow-schema';
import { abandonedCart } from './abandoned-cart';
import { leadNurture } from './lead-nurture';
import { postPurchase } from './post-purchase';
import { replenishment } from './replenishment';
import { vipLoyalty } from './vip';
import { welcome } from './welcome';
import { winBack } from './win-back';

/** The flows every store gets installed, all disabled until an admin turns them on. */
export const PRESETS: readonly Flow[] = [welcome, abandonedCart, winBack, replenishment, postPurchase, vipLoyalty, leadNurture];

export function presetById(id: string): Flow | undefined {
  return PRESETS.find((p) => p.id === id);
}

/**
 * Three kinds of application errors, each thrown from its own function so that its stack
 * starts in application code: the failure groups' tests fail real jobs with them. Within a
 * kind, the messages differ only in numbers, ids and quoted values.
 */

/** The kinds, by job name. */
export const KINDS = ['charge', 'lookup', 'sync'] as const;
export type Kind = (typeof KINDS)[number];

function chargeCard(n: number): never {
  throw new Error(`Card ${4000 + n} declined for order ${(0x9f8e7d6c + n).toString(16)}`);
}

function findUser(n: number): never {
  throw new Error(`User "user-${n}@example.com" not found in tenant ${n * 7}`);
}

function syncInventory(n: number): never {
  throw new Error(`Timeout after ${3000 + n} ms calling 10.0.${n % 9}.7:5432`);
}

/** Throws the error of `kind` for job number `n`. */
export function failAs(kind: string, n: number): never {
  if (kind === 'charge') chargeCard(n);
  if (kind === 'lookup') findUser(n);
  syncInventory(n);
}

/** The normalised message each kind groups under. */
export const MESSAGES: Record<Kind, string> = {
  charge: 'Card <n> declined for order <id>',
  lookup: 'User <str> not found in tenant <n>',
  sync: 'Timeout after <n> ms calling <ip>',
};

/** The function of the first application frame of each kind. */
export const FRAMES: Record<Kind, string> = {
  charge: 'chargeCard',
  lookup: 'findUser',
  sync: 'syncInventory',
};

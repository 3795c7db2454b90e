import type { ValueTransformer } from 'typeorm';

/** numeric(39,0) <-> bigint: pg returns numeric as a string, and 128-bit hash keys need bigint. */
export const numericBigint: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};

/** bigint <-> number for counters that stay far below 2^53 (lease epochs). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

import type { ImageProfile } from './image-profile';
import { VM_SIZE_CATALOGUE, type SecurityType, type VmSize } from './vm-size-catalogue';

export interface SizeChoice {
  readonly size: string;
  readonly securityType: SecurityType;
}

function within(value: number, range: { readonly min?: number; readonly max?: number } | undefined): boolean {
  return (
    range === undefined || ((range.min ?? 0) <= value && value <= (range.max ?? Number.POSITIVE_INFINITY))
  );
}

/**
 * Sizes compatible with the image, cheapest first. `excluded` holds sizes that already failed in this
 * region with a capacity/SKU error, so a retry moves on to the next size.
 */
export function compatibleSizes(
  image: ImageProfile,
  excluded: readonly string[] = [],
  catalogue: readonly VmSize[] = VM_SIZE_CATALOGUE,
): SizeChoice[] {
  const skip = new Set(excluded.map((s) => s.toLowerCase()));
  const choices: (SizeChoice & { price: number })[] = [];
  for (const size of catalogue) {
    if (skip.has(size.name.toLowerCase())) continue;
    if (size.architecture !== image.architecture) continue;
    if (!size.hyperVGenerations.includes(image.hyperVGeneration)) continue;
    if (
      !within(size.vCPUs, image.recommended?.vCPUs) ||
      !within(size.memoryGiB, image.recommended?.memoryGiB)
    ) {
      continue;
    }
    const securityType = image.securityTypes.find((t) => size.securityTypes.includes(t));
    if (securityType === undefined) continue;
    choices.push({ size: size.name, securityType, price: size.pricePerHour });
  }
  return choices.sort((a, b) => a.price - b.price).map(({ size, securityType }) => ({ size, securityType }));
}

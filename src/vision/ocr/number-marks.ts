// Marks on a number that say it is no alarm code, whatever letters the grammar could give it. A percent or degree
// sign read after the number belongs to a value (LOAD 8% read L081 8%: the alarm grammar, having no such mark,
// would drop it and run the misread name and its value together into the code L0818). A run of 8s is what a
// display with ghost segments shows in every cell, lit or not (READY read 8888988, trimmed to 88889): a letter the
// recogniser half saw in one of those cells (P for the first 8) is no evidence of a code's prefix.

/** Least digits of a number read as a run of 8s before it is taken for the cells of a display with ghost segments. */
const GHOST_RUN = 4;

/** True when a bare number is 8s but for at most one digit, GHOST_RUN digits or more (88889, 8888): all cells lit. */
export function ghostEights(number: string): boolean {
  const digits = number.replace(/\D/g, '');
  return digits.length >= GHOST_RUN && digits.replace(/8/g, '').length <= 1;
}

/** True when `raw` shows a percent or degree sign right after a digit (8%, 72 °C): a mark only a value carries. */
export function valueMark(raw: string): boolean {
  return /\d\s?[%°]/.test(raw);
}

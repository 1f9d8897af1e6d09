// Not a benchmark (bench/run.ts skips _ files). The code patterns a fault catalog for the generated panels would list: bench/ocr.ts reads with them for its
// "catalog" figures, and the dev aids in bench/_*.ts use the same list (importing bench/ocr.ts would run the bench).
export const CATALOG_PATTERNS = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/',
  '/ALM \\d{2}/', '/FLT \\d{2}/', '/H\\d{2}/', '/C-\\d{2}/'];

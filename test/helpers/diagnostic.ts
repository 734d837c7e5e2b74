/** One problem as `aimq release check --format json` prints it (the message and hint in the user's language). */
export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint: string | null;
}

declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: Array<{ message: string }>;
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }): ValidationResult;
}

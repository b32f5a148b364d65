export function generateClient(input: string, output: string): Promise<void>;

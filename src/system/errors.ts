/**
 * Bad input from the user or from a file they gave (config, catalog, model, recording, image):
 * the CLI prints the message, which names what is wrong and what to do, and exits 2.
 * Each part of the data flow derives its own named kind.
 */
export class BadInputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The order board: listeners are kept in an array and called later (an indirect call the analysis follows). */
export type Listener = (message: string) => void;

export class OrderBoard {
  private readonly listeners: Listener[] = [];

  on(listener: Listener): void {
    this.listeners.push(listener);
  }

  post(message: string): void {
    for (const listener of this.listeners) listener(message);
  }
}

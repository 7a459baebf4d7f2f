// A polite live region: state changes read out by screen readers without moving focus.
export class Announcer {
  constructor(private readonly region: HTMLElement) {}

  say(text: string): void {
    // A new text node each time, so a repeated message is read again.
    this.region.textContent = '';
    this.region.append(document.createTextNode(text));
  }
}

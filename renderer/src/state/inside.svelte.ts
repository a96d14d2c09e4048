/**
 * Whether the Draw view's "Inside the network" card is open, remembered between starts
 * (localStorage). While it is closed nothing is inspected.
 */
const STORAGE_KEY = 'lstm-studio:inside-open';

function restore(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'false';
  } catch {
    return true; // no storage (private mode): open, as on a first start
  }
}

class InsideCardState {
  isOpen = $state(restore());

  toggle(): void {
    this.isOpen = !this.isOpen;
    try {
      localStorage.setItem(STORAGE_KEY, String(this.isOpen));
    } catch {
      // Storage full or unavailable: remembering it is a convenience, not a requirement.
    }
  }
}

/** The Draw view's Inside-the-network card. */
export const insideCard = new InsideCardState();

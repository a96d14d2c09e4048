/**
 * An attachment that tells whether a pointer is pressed inside an element, e.g. a stroke being
 * drawn on the pad: work that should wait for the stroke to end (the Inside-the-network
 * inspection) starts when it says false again.
 */
import type { Attachment } from 'svelte/attachments';

const RELEASES = ['pointerup', 'pointercancel', 'lostpointercapture'] as const;

/**
 * Calls `onchange(true)` when a first pointer goes down inside the element, and `onchange(false)`
 * once every such pointer is up again. Releases are heard on the window, so a pointer let go
 * outside the element still ends the press; `false` comes one animation frame later, after the
 * frame the pad paints and reports its last ink in (it asked for that frame first, from its own
 * pointer-up listener, which runs before the window hears the event bubble up).
 */
export function pointerActivity(onchange: (isDown: boolean) => void): Attachment<HTMLElement> {
  return (element) => {
    const down = new Set<number>();
    let frame = 0;
    const press = (event: PointerEvent): void => {
      if (down.size === 0 && frame === 0) onchange(true);
      down.add(event.pointerId);
    };
    const release = (event: PointerEvent): void => {
      if (!down.delete(event.pointerId) || down.size > 0 || frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (down.size === 0) onchange(false);
      });
    };
    element.addEventListener('pointerdown', press);
    for (const type of RELEASES) window.addEventListener(type, release);
    return () => {
      element.removeEventListener('pointerdown', press);
      for (const type of RELEASES) window.removeEventListener(type, release);
      cancelAnimationFrame(frame);
    };
  };
}

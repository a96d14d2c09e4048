/**
 * Layout checks run inside the page: what a person would see as broken at a given window size.
 * Each returns human-readable problems (empty when the layout holds).
 */
import type { Page } from 'playwright-core';

/** The window never scrolls (main does), sideways or down, so the header cannot move. */
export async function windowScrollProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const main = document.querySelector('main');
    const problems: string[] = [];
    if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways by ${root.scrollWidth - root.clientWidth} px`);
    if (root.scrollHeight > root.clientHeight) problems.push(`the whole window scrolls by ${root.scrollHeight - root.clientHeight} px`);
    if (main && main.scrollWidth > main.clientWidth)
      problems.push(`the view scrolls sideways by ${main.scrollWidth - main.clientWidth} px`);
    return problems;
  });
}

/**
 * Elements that stick out of their card. Content inside a box that scrolls sideways on purpose
 * (a wide table) and visually hidden text do not count.
 */
export async function cardOverflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const SLACK = 1;
    const isScrollBox = (el: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const problems: string[] = [];
    for (const card of document.querySelectorAll('.card')) {
      const box = card.getBoundingClientRect();
      for (const el of card.querySelectorAll('*')) {
        if (el.closest('.visually-hidden')) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        let clipper = el.parentElement;
        while (clipper && clipper !== card && !isScrollBox(clipper)) clipper = clipper.parentElement;
        if (clipper && clipper !== card) continue; // inside a scroll box of its own
        if (rect.right > box.right + SLACK || rect.left < box.left - SLACK)
          problems.push(
            `${describe(el)} sticks out of its card by ${Math.round(Math.max(rect.right - box.right, box.left - rect.left))} px`,
          );
      }
    }
    return problems;
  });
}

/**
 * Boxes that scroll sideways although nothing in them is meant to: only a box marked
 * `data-scrolls-sideways` (a wide table) may.
 */
export async function sidewaysScrollProblems(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('*')]
      .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && !el.hasAttribute('data-scrolls-sideways'))
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} scrolls sideways by ${el.scrollWidth - el.clientWidth} px`,
      ),
  );
}

/** The header's box, to check that it never moves. */
export async function headerBox(page: Page): Promise<{ top: number; height: number }> {
  return page.evaluate(() => {
    const rect = document.querySelector('header')!.getBoundingClientRect();
    return { top: rect.top, height: rect.height };
  });
}

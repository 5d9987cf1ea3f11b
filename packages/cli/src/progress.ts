/**
 * Progress for long jobs on stderr: a line that rewrites itself on a terminal, and a plain line
 * every 10% otherwise (CI logs), so stdout stays clean for the JSON summary.
 */
export function progressLine(verb: string, unit: string): (done: number, total: number) => void {
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  const started = Date.now();
  return (done, total) => {
    const share = total === 0 ? 1 : done / total;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const text = `${verb} ${done}/${total} ${unit} (${Math.round(100 * share)}%, ${seconds} s)`;
    if (tty) {
      process.stderr.write(`\r${text}${done === total ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor(share * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      process.stderr.write(`${text}\n`);
    }
  };
}

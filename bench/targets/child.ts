/** What every target process does: exit with the harness, and tell it the port it listens on. */
export function tieToParent(onExit?: () => Promise<unknown>): void {
  const quit = () => {
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    Promise.resolve(onExit?.()).finally(() => process.exit(0));
  };
  process.on('disconnect', quit);
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
}

export function reportReady(port: number): void {
  process.send?.({ ready: true, port });
}

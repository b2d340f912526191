// What the resource gate measures (DESIGN §7 "Resources"), behind an interface so the gate's rules
// can be tested for conditions this machine cannot produce on demand (a battery, a full disk).
// The real sampler is ./system-sampler.

export interface PowerState {
  /** A battery is present at all (desktops and CI machines have none). */
  hasBattery: boolean;
  /** Mains power is connected; true where there is no battery. */
  onAc: boolean;
}

export interface ResourceSampler {
  /** Share of all CPU time that was busy, 0–100, averaged over a short window rather than an instant. */
  cpuPercent(): Promise<number>;
  /** Share of physical memory in use by programs (not counting reclaimable caches), 0–100. */
  memoryPercent(): Promise<number>;
  /** Free space, in GB (10^9 bytes), available to this user on the file system holding `path`. */
  freeDiskGb(path: string): Promise<number>;
  power(): Promise<PowerState>;
  /**
   * The CPU share over a window that starts after this call (a sampler that reads in the background
   * waits for its next reading). The gate asks for it to confirm a reading over the limit.
   */
  nextCpuPercent?(): Promise<number>;
  /** Stops background sampling at the end of a session. */
  stop?(): void;
}

package ecstest

// pending returns the number of functions scheduled on c and not yet run
// or stopped: what a test counts to see that nothing leaks timers.
func (c *Clock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

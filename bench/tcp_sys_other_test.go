//go:build !unix

package bench

import "time"

// processCPU is not measured here: cpu-ms/GB is not reported.
func processCPU() time.Duration { return 0 }

// raiseFDLimit does not know the limit here.
func raiseFDLimit() int { return 0 }

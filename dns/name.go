package dns

import (
	"fmt"
	"strings"

	"golang.org/x/net/idna"
)

// maxNameLen is the longest name DNS can carry, without the root dot.
const maxNameLen = 253

var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.BidiRule())

// asciiName returns name in the ASCII (punycode) form that goes on the
// wire, so that Unicode and punycode spellings resolve alike. Over-long
// names and invalid labels give an error wrapping ErrInvalidName.
func asciiName(name string) (string, error) {
	a, err := idnaProfile.ToASCII(strings.TrimSuffix(name, "."))
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrInvalidName, name, err)
	}
	if len(a) > maxNameLen {
		return "", fmt.Errorf("%w %q: %d characters, more than %d", ErrInvalidName, name, len(a), maxNameLen)
	}
	for _, l := range strings.Split(a, ".") {
		if l == "" || len(l) > 63 {
			return "", fmt.Errorf("%w %q: label %q must have 1 to 63 characters", ErrInvalidName, name, l)
		}
	}
	return strings.ToLower(a), nil
}

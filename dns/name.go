package dns

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// maxNameLen is the longest name DNS can carry, without the root dot.
const maxNameLen = 253

// maxLabelLen is the longest label DNS can carry.
const maxLabelLen = 63

// idnaProfile maps Unicode names to punycode as UTS #46 says for lookups,
// except that it leaves the ASCII rules to validLabel: Qt 5 sends names
// with '_' (SRV-style and some intranet names) to the resolver, and so
// do we.
var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.BidiRule(),
	idna.StrictDomainName(false))

// asciiName returns name in the ASCII (punycode) form that goes on the
// wire, so that Unicode and punycode spellings resolve alike, lower case,
// without a trailing dot. A name Qt 5 refuses before asking (an empty
// label, a label over 63 characters, a character outside letters, digits,
// '-' and '_', a '-' at a label's edge, bytes that are not UTF-8) gives an error wrapping
// ErrInvalidName and Qt's text "Invalid hostname". A name over 253
// characters also wraps ErrInvalidName and is never sent, but its text is
// "Host not found": Qt sends it, and the resolver refuses it.
func asciiName(name string) (key, qtText string, err error) {
	if !utf8.ValidString(name) {
		return "", qtInvalidHostname, fmt.Errorf("%w %q: not UTF-8", ErrInvalidName, name)
	}
	a, err := idnaProfile.ToASCII(strings.TrimSuffix(name, "."))
	if err != nil {
		return "", qtInvalidHostname, fmt.Errorf("%w %q: %v", ErrInvalidName, name, err)
	}
	for l := range strings.SplitSeq(a, ".") {
		if err := validLabel(l); err != nil {
			return "", qtInvalidHostname, fmt.Errorf("%w %q: %v", ErrInvalidName, name, err)
		}
	}
	if len(a) > maxNameLen {
		return "", qtHostNotFound, fmt.Errorf("%w %q: %d characters, more than %d", ErrInvalidName,
			name, len(a), maxNameLen)
	}
	return strings.ToLower(a), "", nil
}

// validLabel checks one ASCII label as Qt 5's QUrl::toAce does.
func validLabel(l string) error {
	if l == "" || len(l) > maxLabelLen {
		return fmt.Errorf("label %q must have 1 to %d characters", l, maxLabelLen)
	}
	for _, r := range l {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
		if !ok {
			return fmt.Errorf("label %q has %q: only letters, digits, '-' and '_' are allowed", l, r)
		}
	}
	return nil
}

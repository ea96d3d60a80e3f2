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
	if k, ok := plainName(name); ok {
		return k, "", nil
	}
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

// plainName is asciiName's fast path for the usual name: lower-case ASCII
// letters, digits, '-', '_' and dots, in labels of 1 to 63 characters
// with no '-' at an edge nor "--" in the third and fourth places (which
// UTS #46 reserves, "xn--" among them), 253 characters at most. The IDNA
// mapping would return such a name unchanged (FuzzName checks it); false
// sends anything else the slow way.
func plainName(name string) (string, bool) {
	name = strings.TrimSuffix(name, ".")
	if name == "" || len(name) > maxNameLen {
		return "", false
	}
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '.' {
			c := name[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
			continue
		}
		l := name[start:i]
		if l == "" || len(l) > maxLabelLen || l[0] == '-' || l[len(l)-1] == '-' || len(l) >= 4 && l[2:4] == "--" {
			return "", false
		}
		start = i + 1
	}
	return name, true
}

package record

import (
	"fmt"
	"net/netip"

	"github.com/slotnet/slotnet/transport/mem"
)

// installNames puts the answers of the script's lookups into n's Zone:
// addresses as A and AAAA records, failures as the Zone's failure modes,
// reverse lookups as PTR records. A name looked up several times keeps
// its first answer.
func installNames(n *mem.Network, s *Script) error {
	z := n.Zone()
	seen := map[string]bool{}
	for i, e := range s.Events {
		if (e.Kind != Lookup && e.Kind != LookupAddr) || seen[e.Kind.String()+" "+e.Name] {
			continue
		}
		seen[e.Kind.String()+" "+e.Name] = true
		var err error
		if e.Kind == Lookup {
			err = installLookup(z, e)
		} else {
			err = installReverse(z, e)
		}
		if err != nil {
			return fmt.Errorf("section %d (%v %s): %w", i+1, e.Kind, e.Name, err)
		}
	}
	return nil
}

// failures maps a recorded failure to the Zone's.
var failures = map[LookupError]mem.Failure{NXDomain: mem.NXDomain, ServFail: mem.ServFail, Timeout: mem.NoAnswer}

func installLookup(z *mem.Zone, e Event) error {
	if e.Err != "" {
		return z.SetFailure(e.Name, failures[e.Err])
	}
	var v4, v6 []netip.Addr
	for _, a := range e.Answers {
		addr, err := netip.ParseAddr(a)
		if err != nil {
			return err
		}
		if addr.Unmap().Is4() {
			v4 = append(v4, addr.Unmap())
		} else {
			v6 = append(v6, addr)
		}
	}
	if len(v4) > 0 {
		if err := z.AddA(e.Name, v4...); err != nil {
			return err
		}
	}
	if len(v6) > 0 {
		return z.AddAAAA(e.Name, v6...)
	}
	return nil
}

func installReverse(z *mem.Zone, e Event) error {
	addr, err := netip.ParseAddr(e.Name)
	if err != nil {
		return err
	}
	if e.Err != "" {
		return z.SetFailure(addr.String(), failures[e.Err])
	}
	return z.AddPTR(addr, e.Answers...)
}

package pcapng

import (
	"bufio"
	"encoding/binary"
	"io"
	"os"
)

// pcapng block types and constants.
const (
	blockSHB         = 0x0A0D0D0A
	blockIDB         = 0x00000001
	blockEPB         = 0x00000006
	byteOrderMagic   = 0x1A2B3C4D
	linktypeEthernet = 1
	optEndOfOpt      = 0
	optIfTsresol     = 9
	snapLen          = 262144
)

// WriteTo writes the capture as a pcapng file: one section, one Ethernet
// interface with nanosecond timestamps, and an Enhanced Packet Block per
// packet in time order.
func (c *Capture) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: bufio.NewWriter(w)}
	le := binary.LittleEndian
	// Section Header Block: no options, section length unknown.
	shb := le.AppendUint32(nil, blockSHB)
	shb = le.AppendUint32(shb, 28)
	shb = le.AppendUint32(shb, byteOrderMagic)
	shb = le.AppendUint16(shb, 1)
	shb = le.AppendUint16(shb, 0)
	shb = le.AppendUint64(shb, ^uint64(0))
	shb = le.AppendUint32(shb, 28)
	cw.write(shb)
	// Interface Description Block: if_tsresol 9 (nanoseconds).
	idb := le.AppendUint32(nil, blockIDB)
	idb = le.AppendUint32(idb, 32)
	idb = le.AppendUint16(idb, linktypeEthernet)
	idb = le.AppendUint16(idb, 0)
	idb = le.AppendUint32(idb, snapLen)
	idb = le.AppendUint16(idb, optIfTsresol)
	idb = le.AppendUint16(idb, 1)
	idb = append(idb, 9, 0, 0, 0)
	idb = le.AppendUint16(idb, optEndOfOpt)
	idb = le.AppendUint16(idb, 0)
	idb = le.AppendUint32(idb, 32)
	cw.write(idb)
	for _, p := range c.sorted() {
		pad := (4 - len(p.frame)%4) % 4
		n := uint32(32 + len(p.frame) + pad)
		ts := uint64(p.t.UnixNano())
		b := le.AppendUint32(make([]byte, 0, n), blockEPB)
		b = le.AppendUint32(b, n)
		b = le.AppendUint32(b, 0) // interface 0
		b = le.AppendUint32(b, uint32(ts>>32))
		b = le.AppendUint32(b, uint32(ts))
		b = le.AppendUint32(b, uint32(len(p.frame)))
		b = le.AppendUint32(b, uint32(len(p.frame)))
		b = append(b, p.frame...)
		b = append(b, make([]byte, pad)...)
		b = le.AppendUint32(b, n)
		cw.write(b)
	}
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	return cw.n, cw.err
}

// WriteFile writes the capture to the named file (see WriteTo).
func (c *Capture) WriteFile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type countWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (cw *countWriter) write(b []byte) {
	if cw.err != nil {
		return
	}
	n, err := cw.w.Write(b)
	cw.n += int64(n)
	cw.err = err
}

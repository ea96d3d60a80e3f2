package core

import (
	"math"
	"time"

	"github.com/slotnet/slotnet/transport"
)

func goldenDateTime(spec TimeSpec, offset int32) DateTime {
	return DateTime{Date: DateOf(2020, 1, 2), Time: TimeOf(3, 4, 5, 6), Spec: spec, OffsetSeconds: offset}
}

// offsetDateTime is an OffsetFromUTC case: Qt 4's format drops the offset
// and Qt 5.0's stores the UTC time, so what reads back depends on the
// version.
func offsetDateTime(offset int32) goldenCase {
	dt := goldenDateTime(OffsetFromUTC, offset)
	c := same(dt, (*DataStream).WriteDateTime, (*DataStream).ReadDateTime)
	c.want = func(g goldenConfig) any {
		switch {
		case g.version >= Qt_5_2:
			return dt
		case g.version == Qt_5_0:
			t, _ := dt.GoTime()
			u := DateTimeOf(t.UTC())
			u.Spec = OffsetFromUTC
			return u
		}
		lost := dt
		lost.OffsetSeconds = 0
		return lost
	}
	return c
}

func variant(t MetaType, v any) Variant { return Variant{Type: t, Value: v} }

func goldenVariant(t MetaType, v any) goldenCase {
	return same(variant(t, v), (*DataStream).WriteVariant, (*DataStream).ReadVariant)
}

func goldenCases() map[string]goldenCase {
	cases := map[string]goldenCase{
		"bool_true":         same(true, (*DataStream).WriteBool, (*DataStream).ReadBool),
		"bool_false":        same(false, (*DataStream).WriteBool, (*DataStream).ReadBool),
		"int8_min":          same(int8(math.MinInt8), (*DataStream).WriteInt8, (*DataStream).ReadInt8),
		"int8_max":          same(int8(math.MaxInt8), (*DataStream).WriteInt8, (*DataStream).ReadInt8),
		"uint8_max":         same(uint8(math.MaxUint8), (*DataStream).WriteUint8, (*DataStream).ReadUint8),
		"int16_min":         same(int16(math.MinInt16), (*DataStream).WriteInt16, (*DataStream).ReadInt16),
		"uint16_max":        same(uint16(math.MaxUint16), (*DataStream).WriteUint16, (*DataStream).ReadUint16),
		"int32_min":         same(int32(math.MinInt32), (*DataStream).WriteInt32, (*DataStream).ReadInt32),
		"int32_max":         same(int32(math.MaxInt32), (*DataStream).WriteInt32, (*DataStream).ReadInt32),
		"uint32_max":        same(uint32(math.MaxUint32), (*DataStream).WriteUint32, (*DataStream).ReadUint32),
		"int64_min":         same(int64(math.MinInt64), (*DataStream).WriteInt64, (*DataStream).ReadInt64),
		"int64_max":         same(int64(math.MaxInt64), (*DataStream).WriteInt64, (*DataStream).ReadInt64),
		"uint64_max":        same(uint64(math.MaxUint64), (*DataStream).WriteUint64, (*DataStream).ReadUint64),
		"float_1_5":         same(float32(1.5), (*DataStream).WriteFloat32, (*DataStream).ReadFloat32),
		"float_neg_pi":      same(float32(-math.Pi), (*DataStream).WriteFloat32, (*DataStream).ReadFloat32),
		"float_inf":         same(float32(math.Inf(1)), (*DataStream).WriteFloat32, (*DataStream).ReadFloat32),
		"double_1_5":        double(1.5),
		"double_pi":         double(math.Pi),
		"double_neg_tiny":   double(-1e-310),
		"string_null":       same(NullString{}, (*DataStream).WriteNullString, (*DataStream).ReadNullString),
		"string_empty":      same(NullString{Valid: true}, (*DataStream).WriteNullString, (*DataStream).ReadNullString),
		"string_ascii":      same("Hello, Qt", (*DataStream).WriteString, (*DataStream).ReadString),
		"string_latin_euro": same("héllo wörld €", (*DataStream).WriteString, (*DataStream).ReadString),
		"string_astral":     same("\U0001d11e clef \U0001f600", (*DataStream).WriteString, (*DataStream).ReadString),
		"string_fortune":    same("You've been leading a dog's life. Stay off the furniture.", (*DataStream).WriteString, (*DataStream).ReadString),
		"bytearray_null":    same([]byte(nil), (*DataStream).WriteByteArray, (*DataStream).ReadByteArray),
		"bytearray_empty":   same([]byte{}, (*DataStream).WriteByteArray, (*DataStream).ReadByteArray),
		"bytearray_bin":     same([]byte("\x00\x01\xffabc"), (*DataStream).WriteByteArray, (*DataStream).ReadByteArray),
		"stringlist_empty":  same([]string{}, (*DataStream).WriteStringList, (*DataStream).ReadStringList),
		"stringlist_3":      same([]string{"a", "", "ünï"}, (*DataStream).WriteStringList, (*DataStream).ReadStringList),
		"list_int32": same([]int32{1, -2, 300000},
			func(ds *DataStream, l []int32) { WriteList(ds, l, (*DataStream).WriteInt32) },
			func(ds *DataStream) []int32 { return ReadList(ds, (*DataStream).ReadInt32) }),
		"date_2020":            same(DateOf(2020, time.January, 2), (*DataStream).WriteDate, (*DataStream).ReadDate),
		"date_epoch":           same(DateOf(1970, time.January, 1), (*DataStream).WriteDate, (*DataStream).ReadDate),
		"date_max":             same(DateOf(9999, time.December, 31), (*DataStream).WriteDate, (*DataStream).ReadDate),
		"date_null":            same(NullDate, (*DataStream).WriteDate, (*DataStream).ReadDate),
		"time_3_4_5_6":         same(TimeOf(3, 4, 5, 6), (*DataStream).WriteTime, (*DataStream).ReadTime),
		"time_midnight":        same(TimeOf(0, 0, 0, 0), (*DataStream).WriteTime, (*DataStream).ReadTime),
		"time_last":            same(TimeOf(23, 59, 59, 999), (*DataStream).WriteTime, (*DataStream).ReadTime),
		"time_null":            same(NullTime, (*DataStream).WriteTime, (*DataStream).ReadTime),
		"datetime_utc":         same(goldenDateTime(UTC, 0), (*DataStream).WriteDateTime, (*DataStream).ReadDateTime),
		"datetime_local":       same(goldenDateTime(LocalTime, 0), (*DataStream).WriteDateTime, (*DataStream).ReadDateTime),
		"datetime_offset_east": offsetDateTime(3600),
		"datetime_offset_west": offsetDateTime(-19800),
		"datetime_null":        same(DateTime{Date: NullDate, Time: NullTime}, (*DataStream).WriteDateTime, (*DataStream).ReadDateTime),
	}
	for _, a := range []struct {
		name string
		addr transport.HostAddress
	}{
		{"null", transport.Null}, {"any", transport.Any}, {"broadcast", transport.Broadcast},
		{"ipv4", transport.MustParseHostAddress("192.168.1.20")},
		{"ipv6", transport.MustParseHostAddress("2001:db8::1")},
		{"ipv6_scope", transport.MustParseHostAddress("fe80::1%3")},
		{"mapped", transport.MustParseHostAddress("::ffff:1.2.3.4")},
	} {
		cases["hostaddress_"+a.name] = same(a.addr, (*DataStream).WriteHostAddress, (*DataStream).ReadHostAddress)
	}
	for name, c := range variantGoldenCases() {
		cases[name] = c
	}
	return cases
}

func variantGoldenCases() map[string]goldenCase {
	return map[string]goldenCase{
		"variant_invalid":     same(Variant{Null: true}, (*DataStream).WriteVariant, (*DataStream).ReadVariant),
		"variant_bool":        goldenVariant(MetaBool, true),
		"variant_int":         goldenVariant(MetaInt, int32(-7)),
		"variant_uint":        goldenVariant(MetaUInt, uint32(7)),
		"variant_longlong":    goldenVariant(MetaLongLong, int64(-1<<40)),
		"variant_ulonglong":   goldenVariant(MetaULongLong, uint64(1<<40)),
		"variant_double":      goldenVariant(MetaDouble, 2.25),
		"variant_float":       goldenVariant(MetaFloat, float32(0.5)),
		"variant_short":       goldenVariant(MetaShort, int16(-3)),
		"variant_ushort":      goldenVariant(MetaUShort, uint16(3)),
		"variant_char":        goldenVariant(MetaChar, int8(65)),
		"variant_schar":       goldenVariant(MetaSChar, int8(-65)),
		"variant_uchar":       goldenVariant(MetaUChar, uint8(200)),
		"variant_long":        goldenVariant(MetaLong, int64(-5)),
		"variant_ulong":       goldenVariant(MetaULong, uint64(5)),
		"variant_qchar":       goldenVariant(MetaChar16, uint16(0x20ac)),
		"variant_string":      goldenVariant(MetaString, "fortune"),
		"variant_string_null": variantNullString(),
		"variant_stringlist":  goldenVariant(MetaStringList, []string{"x", "y"}),
		"variant_bytearray":   goldenVariant(MetaByteArray, []byte{1, 2}),
		"variant_date":        goldenVariant(MetaDate, DateOf(2020, time.January, 2)),
		"variant_time":        goldenVariant(MetaTime, TimeOf(3, 4, 5, 6)),
		"variant_datetime":    variantOffsetDateTime(),
		"variant_list": same([]Variant{
			variant(MetaInt, int32(1)), variant(MetaString, "a"),
			variant(MetaVariantList, []Variant{variant(MetaBool, true), variant(MetaDouble, 1.5)}),
		}, writeVariantList, readVariantList),
		"variant_map": same(map[string]Variant{
			"b": variant(MetaInt, int32(1)), "a": variant(MetaString, "x"),
			"\U0001f600": variant(MetaInt, int32(2)), "\uffee": variant(MetaInt, int32(3)),
		}, writeVariantMap, readVariantMap),
		"variant_hash":    same(map[string]Variant{"k": variant(MetaDouble, 2.5)}, writeVariantMap, readVariantMap),
		"variant_of_list": goldenVariant(MetaVariantList, []Variant{variant(MetaInt, int32(7)), variant(MetaString, "b")}),
		"variant_of_map": goldenVariant(MetaVariantMap, map[string]Variant{
			"z": {Null: true}, "y": variant(MetaInt, int32(1)),
		}),
	}
}

func variantOffsetDateTime() goldenCase {
	inner := offsetDateTime(3600)
	c := goldenVariant(MetaDateTime, goldenDateTime(OffsetFromUTC, 3600))
	c.want = func(g goldenConfig) any { return variant(MetaDateTime, inner.want(g)) }
	return c
}

func writeVariantList(ds *DataStream, l []Variant) { WriteList(ds, l, (*DataStream).WriteVariant) }

func readVariantList(ds *DataStream) []Variant { return ReadList(ds, (*DataStream).ReadVariant) }

func writeVariantMap(ds *DataStream, m map[string]Variant) {
	WriteMap(ds, m, (*DataStream).WriteString, (*DataStream).WriteVariant)
}

func readVariantMap(ds *DataStream) map[string]Variant {
	return ReadMap(ds, (*DataStream).ReadString, (*DataStream).ReadVariant)
}

// variantNullString is QVariant(QVariant::String): before Qt_4_2 the
// stream has no null flag, so it reads back without one.
func variantNullString() goldenCase {
	v := Variant{Type: MetaString, Null: true, Value: NullString{}}
	c := same(v, (*DataStream).WriteVariant, (*DataStream).ReadVariant)
	c.want = func(g goldenConfig) any {
		return Variant{Type: MetaString, Null: g.version >= Qt_4_2, Value: NullString{}}
	}
	return c
}

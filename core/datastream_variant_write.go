package core

// variantWriter returns the function that writes v's value, and false if
// v.Value's Go type does not fit v.Type.
func variantWriter(v Variant) (func(*DataStream), bool) {
	if v.Type == MetaInvalid {
		return nil, v.Value == nil
	}
	switch x := v.Value.(type) {
	case bool:
		return func(ds *DataStream) { ds.WriteBool(x) }, v.Type == MetaBool
	case int8:
		return func(ds *DataStream) { ds.WriteInt8(x) }, v.Type == MetaChar || v.Type == MetaSChar
	case uint8:
		return func(ds *DataStream) { ds.WriteUint8(x) }, v.Type == MetaUChar
	case int16:
		return func(ds *DataStream) { ds.WriteInt16(x) }, v.Type == MetaShort
	case uint16:
		return func(ds *DataStream) { ds.WriteUint16(x) }, v.Type == MetaUShort || v.Type == MetaChar16
	case int32:
		return func(ds *DataStream) { ds.WriteInt32(x) }, v.Type == MetaInt
	case uint32:
		return func(ds *DataStream) { ds.WriteUint32(x) }, v.Type == MetaUInt
	case int64:
		return func(ds *DataStream) { ds.WriteInt64(x) }, v.Type == MetaLongLong || v.Type == MetaLong
	case uint64:
		return func(ds *DataStream) { ds.WriteUint64(x) }, v.Type == MetaULongLong || v.Type == MetaULong
	case float32:
		return func(ds *DataStream) { ds.WriteFloat32(x) }, v.Type == MetaFloat
	case float64:
		return func(ds *DataStream) { ds.WriteFloat64(x) }, v.Type == MetaDouble
	}
	return variantWriterOther(v)
}

// variantWriterOther covers the non-numeric types of variantWriter.
func variantWriterOther(v Variant) (func(*DataStream), bool) {
	switch x := v.Value.(type) {
	case string:
		return func(ds *DataStream) { ds.WriteString(x) }, v.Type == MetaString
	case NullString:
		return func(ds *DataStream) { ds.WriteNullString(x) }, v.Type == MetaString
	case []string:
		return func(ds *DataStream) { ds.WriteStringList(x) }, v.Type == MetaStringList
	case []byte:
		return func(ds *DataStream) { ds.WriteByteArray(x) }, v.Type == MetaByteArray
	case Date:
		return func(ds *DataStream) { ds.WriteDate(x) }, v.Type == MetaDate
	case Time:
		return func(ds *DataStream) { ds.WriteTime(x) }, v.Type == MetaTime
	case DateTime:
		return func(ds *DataStream) { ds.WriteDateTime(x) }, v.Type == MetaDateTime
	case []Variant:
		return func(ds *DataStream) { WriteList(ds, x, (*DataStream).WriteVariant) }, v.Type == MetaVariantList
	case map[string]Variant:
		return func(ds *DataStream) {
			WriteMap(ds, x, (*DataStream).WriteString, (*DataStream).WriteVariant)
		}, v.Type == MetaVariantMap || v.Type == MetaVariantHash
	}
	return nil, false
}

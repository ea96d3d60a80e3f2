package core

import (
	"fmt"
	"math"
	"time"
)

// Date is QDate: a day as its Julian day number. The zero Date is not
// valid; make one with DateOf or DateFromJulianDay.
type Date struct {
	jd  int64
	set bool // false for the null date
}

// Qt 5's range of valid Julian days.
const (
	minJulianDay = -784350574879
	maxJulianDay = 784354017364
)

// NullDate is the null QDate.
var NullDate = Date{}

// julianDayOfUnixEpoch is the Julian day of 1970-01-01.
const julianDayOfUnixEpoch = 2440588

// DateFromJulianDay returns the date of Julian day jd (QDate::fromJulianDay).
func DateFromJulianDay(jd int64) Date {
	if jd == math.MinInt64 {
		return NullDate // Qt 5's null Julian day
	}
	return Date{jd: jd, set: true}
}

// DateOf returns the date year-month-day of the proleptic Gregorian
// calendar (QDate(y, m, d)); out-of-range parts normalise as time.Date's do.
func DateOf(year int, month time.Month, day int) Date {
	days := time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400
	return DateFromJulianDay(days + julianDayOfUnixEpoch)
}

// IsNull reports whether d is the null date (QDate::isNull).
func (d Date) IsNull() bool { return !d.set }

// IsValid reports whether d is a date in Qt's range (QDate::isValid).
func (d Date) IsValid() bool { return d.set && d.jd >= minJulianDay && d.jd <= maxJulianDay }

// JulianDay returns d's Julian day (QDate::toJulianDay); the null date's is
// Qt 5's null day, math.MinInt64.
func (d Date) JulianDay() int64 {
	if !d.set {
		return math.MinInt64
	}
	return d.jd
}

// Time returns midnight UTC of d as a time.Time; the zero time.Time if d
// is not valid.
func (d Date) Time() time.Time {
	if !d.IsValid() {
		return time.Time{}
	}
	return time.Unix((d.jd-julianDayOfUnixEpoch)*86400, 0).UTC()
}

func (d Date) String() string {
	if !d.IsValid() {
		return fmt.Sprintf("Date(%d)", d.JulianDay())
	}
	return d.Time().Format(time.DateOnly)
}

// Time is QTime: milliseconds since midnight; the zero Time is midnight,
// NullTime the null QTime.
type Time struct {
	ms int32 // -1 for null, as Qt's mds
}

// NullTime is the null QTime.
var NullTime = Time{ms: -1}

// TimeOf returns the time h:m:s.ms (QTime(h, m, s, ms)); an invalid time is
// NullTime.
func TimeOf(h, m, s, ms int) Time {
	if h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 || ms < 0 || ms > 999 {
		return NullTime
	}
	return Time{ms: int32(((h*60+m)*60+s)*1000 + ms)}
}

// TimeFromMSecsSinceStartOfDay returns QTime::fromMSecsSinceStartOfDay(ms).
func TimeFromMSecsSinceStartOfDay(ms int32) Time { return Time{ms: ms} }

// MSecsSinceStartOfDay returns the milliseconds since midnight, -1 for
// NullTime (what goes on the wire).
func (t Time) MSecsSinceStartOfDay() int32 { return t.ms }

// IsNull reports whether t is NullTime.
func (t Time) IsNull() bool { return t.ms == -1 }

// IsValid reports whether t is a time of day (QTime::isValid).
func (t Time) IsValid() bool { return t.ms >= 0 && t.ms < 86400000 }

func (t Time) String() string {
	if !t.IsValid() {
		return fmt.Sprintf("Time(%d)", t.ms)
	}
	ms := int(t.ms)
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// TimeSpec is Qt::TimeSpec: how a DateTime relates to UTC.
type TimeSpec int8

// Time specs, with Qt's values.
const (
	LocalTime TimeSpec = iota
	UTC
	OffsetFromUTC
	TimeZone // read as corrupt data: slotnet has no QTimeZone
)

// DateTime is QDateTime: a date and a time of day in a time spec.
// OffsetSeconds is the offset from UTC for OffsetFromUTC.
type DateTime struct {
	Date          Date
	Time          Time
	Spec          TimeSpec
	OffsetSeconds int32
}

// DateTimeOf returns t as a DateTime: UTC for a UTC time, LocalTime for a
// time in time.Local, else OffsetFromUTC with t's offset.
func DateTimeOf(t time.Time) DateTime {
	dt := DateTime{
		Date: DateOf(t.Date()),
		Time: TimeOf(t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e6),
	}
	_, off := t.Zone()
	switch t.Location() {
	case time.UTC:
		dt.Spec = UTC
	case time.Local:
		dt.Spec = LocalTime
	default:
		dt.Spec, dt.OffsetSeconds = OffsetFromUTC, int32(off)
	}
	return dt
}

// GoTime returns dt as a time.Time, and false if dt's date or time is not
// valid. LocalTime uses time.Local.
func (dt DateTime) GoTime() (time.Time, bool) {
	if !dt.Date.IsValid() || !dt.Time.IsValid() {
		return time.Time{}, false
	}
	loc := time.Local
	switch dt.Spec {
	case UTC:
		loc = time.UTC
	case OffsetFromUTC:
		loc = time.FixedZone("", int(dt.OffsetSeconds))
	}
	d := dt.Date.Time()
	ms := int(dt.Time.ms)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, ms*1e6, loc), true
}

// WriteDate writes d as QDate: a quint32 Julian day before Qt_5_0, a
// qint64 from it.
func (ds *DataStream) WriteDate(d Date) {
	if ds.version < Qt_5_0 {
		ds.put32(uint32(d.JulianDay())) // the null day becomes 0, as in Qt
		return
	}
	ds.put64(uint64(d.JulianDay()))
}

// ReadDate reads a QDate; before Qt_5_0 day 0 is the null date.
func (ds *DataStream) ReadDate() Date {
	if ds.version < Qt_5_0 {
		if jd := ds.get32(); jd != 0 {
			return DateFromJulianDay(int64(jd))
		}
		return NullDate
	}
	return DateFromJulianDay(int64(ds.get64()))
}

// WriteTime writes t as QTime: milliseconds since midnight as a quint32.
func (ds *DataStream) WriteTime(t Time) { ds.put32(uint32(t.ms)) }

// ReadTime reads a QTime.
func (ds *DataStream) ReadTime() Time { return Time{ms: int32(ds.get32())} }

// qt4Spec maps Qt::TimeSpec to the spec byte of Qt_4_0 … Qt_5_1 (Qt 5.0
// excepted): QDateTimePrivate::Spec.
var qt4Spec = map[TimeSpec]int8{LocalTime: -1, UTC: 2, OffsetFromUTC: 3, TimeZone: 4}

// WriteDateTime writes dt as QDateTime in the stream version's format: the
// date, the time, then the spec — from Qt_5_2 Qt::TimeSpec and the offset
// for OffsetFromUTC; Qt_5_0 converts to UTC first; earlier versions write
// Qt 4's spec byte and no offset. A TimeZone spec sets StatusWriteFailed.
func (ds *DataStream) WriteDateTime(dt DateTime) {
	if dt.Spec < LocalTime || dt.Spec > OffsetFromUTC {
		ds.fail(StatusWriteFailed, fmt.Sprintf("QDateTime time spec %d not supported", dt.Spec), nil)
		return
	}
	switch {
	case ds.version >= Qt_5_2:
		ds.WriteDate(dt.Date)
		ds.WriteTime(dt.Time)
		ds.WriteInt8(int8(dt.Spec))
		if dt.Spec == OffsetFromUTC {
			ds.WriteInt32(dt.OffsetSeconds)
		}
	case ds.version == Qt_5_0:
		u := dt.toUTC()
		ds.WriteDate(u.Date)
		ds.WriteTime(u.Time)
		ds.WriteInt8(int8(dt.Spec))
	default:
		ds.WriteDate(dt.Date)
		ds.WriteTime(dt.Time)
		ds.WriteInt8(qt4Spec[dt.Spec])
	}
}

// ReadDateTime reads a QDateTime written in the stream version's format.
// A TimeZone spec sets StatusReadCorruptData: slotnet has no QTimeZone.
func (ds *DataStream) ReadDateTime() DateTime {
	dt := DateTime{Date: ds.ReadDate(), Time: ds.ReadTime()}
	spec := ds.ReadInt8()
	switch {
	case ds.version >= Qt_5_2:
		dt.Spec = TimeSpec(spec)
		if dt.Spec == OffsetFromUTC {
			dt.OffsetSeconds = ds.ReadInt32()
		}
	case ds.version == Qt_5_0:
		dt.Spec = TimeSpec(spec)
		dt = DateTime{Date: dt.Date, Time: dt.Time, Spec: UTC}.toSpec(TimeSpec(spec))
	default:
		dt.Spec = LocalTime
		switch spec {
		case 2:
			dt.Spec = UTC
		case 3:
			dt.Spec = OffsetFromUTC
		case 4:
			dt.Spec = TimeZone
		}
	}
	if dt.Spec < LocalTime || dt.Spec > OffsetFromUTC {
		ds.fail(StatusReadCorruptData, fmt.Sprintf("QDateTime time spec %d not supported", spec), nil)
		return DateTime{}
	}
	return dt
}

// toUTC converts dt to UTC as Qt 5.0's stream did; invalid ones stay.
func (dt DateTime) toUTC() DateTime {
	t, ok := dt.GoTime()
	if !ok {
		return dt
	}
	return DateTimeOf(t.UTC())
}

// toSpec converts a UTC dt to spec, as Qt 5.0's stream did on reading; the
// offset of OffsetFromUTC was not written, so it is 0.
func (dt DateTime) toSpec(spec TimeSpec) DateTime {
	t, ok := dt.GoTime()
	if !ok || spec != LocalTime {
		dt.Spec = spec
		return dt
	}
	return DateTimeOf(t.In(time.Local))
}

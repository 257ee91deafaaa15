// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "etfterm.h"

#include <QtCore/QLocale>
#include <QtCore/QStringDecoder>
#include <QtCore/QtEndian>

#include <cmath>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace MusubiCodegen {

namespace {

// The tags of the External Term Format (erts/emulator/beam/external.h).
enum Tag : quint8 {
    VersionMagic = 131,
    NewFloatExt = 70,
    BitBinaryExt = 77,
    CompressedExt = 80,
    AtomCacheRef = 82,
    DistHeader = 68,
    DistFragHeader = 69,
    DistFragCont = 71,
    NewPidExt = 88,
    NewPortExt = 89,
    NewerReferenceExt = 90,
    SmallIntegerExt = 97,
    IntegerExt = 98,
    FloatExt = 99,
    AtomExt = 100,
    ReferenceExt = 101,
    PortExt = 102,
    PidExt = 103,
    SmallTupleExt = 104,
    LargeTupleExt = 105,
    NilExt = 106,
    StringExt = 107,
    ListExt = 108,
    BinaryExt = 109,
    SmallBigExt = 110,
    LargeBigExt = 111,
    NewFunExt = 112,
    ExportExt = 113,
    NewReferenceExt = 114,
    SmallAtomExt = 115,
    MapExt = 116,
    FunExt = 117,
    AtomUtf8Ext = 118,
    SmallAtomUtf8Ext = 119,
    V4PortExt = 120,
    LocalExt = 121,
};

// Erlang refuses atoms of more than 255 characters (MAX_ATOM_CHARACTERS).
constexpr qsizetype MaxAtomCharacters = 255;

QString tagName(quint8 tag)
{
    static constexpr struct
    {
        quint8 tag;
        const char16_t *name;
    } names[] = {
            {NewFloatExt, u"NEW_FLOAT_EXT"},
            {BitBinaryExt, u"BIT_BINARY_EXT"},
            {CompressedExt, u"compressed term"},
            {AtomCacheRef, u"ATOM_CACHE_REF"},
            {DistHeader, u"DIST_HEADER"},
            {DistFragHeader, u"DIST_FRAG_HEADER"},
            {DistFragCont, u"DIST_FRAG_CONT"},
            {NewPidExt, u"NEW_PID_EXT"},
            {NewPortExt, u"NEW_PORT_EXT"},
            {NewerReferenceExt, u"NEWER_REFERENCE_EXT"},
            {SmallIntegerExt, u"SMALL_INTEGER_EXT"},
            {IntegerExt, u"INTEGER_EXT"},
            {FloatExt, u"FLOAT_EXT"},
            {AtomExt, u"ATOM_EXT"},
            {ReferenceExt, u"REFERENCE_EXT"},
            {PortExt, u"PORT_EXT"},
            {PidExt, u"PID_EXT"},
            {SmallTupleExt, u"SMALL_TUPLE_EXT"},
            {LargeTupleExt, u"LARGE_TUPLE_EXT"},
            {NilExt, u"NIL_EXT"},
            {StringExt, u"STRING_EXT"},
            {ListExt, u"LIST_EXT"},
            {BinaryExt, u"BINARY_EXT"},
            {SmallBigExt, u"SMALL_BIG_EXT"},
            {LargeBigExt, u"LARGE_BIG_EXT"},
            {NewFunExt, u"NEW_FUN_EXT"},
            {ExportExt, u"EXPORT_EXT"},
            {NewReferenceExt, u"NEW_REFERENCE_EXT"},
            {SmallAtomExt, u"SMALL_ATOM_EXT"},
            {MapExt, u"MAP_EXT"},
            {FunExt, u"FUN_EXT"},
            {AtomUtf8Ext, u"ATOM_UTF8_EXT"},
            {SmallAtomUtf8Ext, u"SMALL_ATOM_UTF8_EXT"},
            {V4PortExt, u"V4_PORT_EXT"},
            {LocalExt, u"LOCAL_EXT"},
    };
    for (const auto &entry : names) {
        if (entry.tag == tag)
            return QStringView(entry.name).toString();
    }
    return QString();
}

// UTF-8 to text, invalid sequences replaced; a leading U+FEFF is content, not a BOM
// (QString::fromUtf8() would drop it).
QString fromUtf8(QByteArrayView bytes, bool *valid = nullptr)
{
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless
                                   | QStringDecoder::Flag::ConvertInitialBom);
    QString text = decoder.decode(bytes);
    if (valid)
        *valid = !decoder.hasError();
    return text;
}

// Code points of \a text (a surrogate pair counts once).
qsizetype codePointCount(const QString &text)
{
    qsizetype count = 0;
    for (QChar c : text) {
        if (!c.isLowSurrogate())
            ++count;
    }
    return count;
}

class Decoder
{
public:
    Decoder(QByteArrayView data, const EtfLimits &limits)
        : m_data(reinterpret_cast<const quint8 *>(data.data()))
        , m_size(data.size())
        , m_limits(limits)
    { }

    std::optional<EtfTerm> run()
    {
        if (m_size == 0)
            return fail(0, u"empty input"_s);
        if (m_data[0] != VersionMagic) {
            return fail(
                    0,
                    u"version byte %1, expected 131 (not External Term Format)"_s.arg(m_data[0]));
        }
        m_pos = 1;
        EtfTerm term;
        if (!decode(term, 0))
            return std::nullopt;
        if (m_pos != m_size)
            return fail(m_pos, u"%1 trailing bytes after the term"_s.arg(m_size - m_pos));
        return term;
    }

    QString error;

private:
    quint64 remaining() const { return quint64(m_size - m_pos); }

    std::nullopt_t fail(qsizetype offset, const QString &message)
    {
        error = u"offset %1: %2"_s.arg(offset).arg(message);
        return std::nullopt;
    }

    // The fixed-size header of a tag (after the tag byte) must be present.
    bool needHeader(qsizetype tagOffset, quint8 tag, quint64 bytes)
    {
        if (remaining() >= bytes)
            return true;
        fail(tagOffset,
             u"truncated %1 (its header needs %2 bytes, %3 remain)"_s.arg(tagName(tag))
                     .arg(bytes)
                     .arg(remaining()));
        return false;
    }

    // A payload of \a bytes bytes must follow.
    bool needPayload(qsizetype tagOffset, quint8 tag, quint64 bytes)
    {
        if (remaining() >= bytes)
            return true;
        fail(tagOffset,
             u"truncated %1 (announces %2 bytes, %3 remain)"_s.arg(tagName(tag))
                     .arg(bytes)
                     .arg(remaining()));
        return false;
    }

    // \a count elements of at least \a bytesEach bytes each (plus \a extra) must fit in
    // what remains, and must not exceed the term limit. Checked before anything is reserved.
    bool needElements(qsizetype tagOffset, quint8 tag, quint64 count, quint64 bytesEach,
                      quint64 extra, const QString &unit)
    {
        // count <= 2^32 - 1 and bytesEach <= 2: no overflow in 64 bits.
        if (count * bytesEach + extra > remaining()) {
            fail(tagOffset,
                 u"truncated %1 (announces %2 %3, %4 bytes remain)"_s.arg(tagName(tag))
                         .arg(count)
                         .arg(unit)
                         .arg(remaining()));
            return false;
        }
        // Fail early on a count the term limit cannot hold; the elements are counted as
        // their tags are read.
        return checkTerms(tagOffset, count * (bytesEach > 1 ? 2 : 1));
    }

    // \a count more terms stay within EtfLimits::maxTerms.
    bool checkTerms(qsizetype offset, quint64 count)
    {
        const quint64 limit = quint64(qMax<qsizetype>(m_limits.maxTerms, 0));
        if (count <= limit && quint64(m_terms) <= limit - count)
            return true;
        fail(offset, u"more than %1 terms"_s.arg(m_limits.maxTerms));
        return false;
    }

    bool countTerms(qsizetype offset, quint64 count)
    {
        if (!checkTerms(offset, count))
            return false;
        m_terms += qsizetype(count);
        return true;
    }

    quint8 u8() { return m_data[m_pos++]; }
    quint16 u16()
    {
        const quint16 v = qFromBigEndian<quint16>(m_data + m_pos);
        m_pos += 2;
        return v;
    }
    quint32 u32()
    {
        const quint32 v = qFromBigEndian<quint32>(m_data + m_pos);
        m_pos += 4;
        return v;
    }

    bool enter(qsizetype tagOffset, int depth)
    {
        if (depth < m_limits.maxDepth)
            return true;
        fail(tagOffset, u"nesting deeper than %1 levels"_s.arg(m_limits.maxDepth));
        return false;
    }

    bool decodeAtom(EtfTerm &out, qsizetype tagOffset, quint8 tag, quint32 length, bool utf8)
    {
        if (!needPayload(tagOffset, tag, length))
            return false;
        const char *bytes = reinterpret_cast<const char *>(m_data + m_pos);
        out.kind = EtfTerm::Kind::Atom;
        if (utf8) {
            bool valid = false;
            out.atom = fromUtf8(QByteArrayView(bytes, length), &valid);
            if (!valid) {
                fail(tagOffset, u"%1 is not valid UTF-8"_s.arg(tagName(tag)));
                return false;
            }
        } else {
            out.atom = QString::fromLatin1(bytes, length);
        }
        if (codePointCount(out.atom) > MaxAtomCharacters) {
            fail(tagOffset, u"atom longer than %1 characters"_s.arg(MaxAtomCharacters));
            return false;
        }
        m_pos += length;
        return true;
    }

    bool decodeBig(EtfTerm &out, qsizetype tagOffset, quint8 tag, quint32 digits)
    {
        // digits bytes of magnitude after the sign byte.
        if (!needPayload(tagOffset, tag, quint64(digits) + 1))
            return false;
        const quint8 sign = u8();
        if (sign > 1) {
            fail(tagOffset, u"%1 with sign byte %2"_s.arg(tagName(tag)).arg(sign));
            return false;
        }
        quint64 magnitude = 0;
        bool fits = true;
        for (quint32 i = 0; i < digits; ++i) {
            const quint8 digit = m_data[m_pos + qsizetype(i)];
            if (i < 8)
                magnitude |= quint64(digit) << (8 * i);
            else if (digit != 0)
                fits = false;
        }
        m_pos += qsizetype(digits);
        constexpr quint64 maxPositive = quint64(std::numeric_limits<qint64>::max());
        if (!fits || magnitude > maxPositive + sign) {
            fail(tagOffset, u"integer does not fit 64 bits"_s);
            return false;
        }
        out.kind = EtfTerm::Kind::Integer;
        if (sign == 0)
            out.integer = qint64(magnitude);
        else if (magnitude == maxPositive + 1)
            out.integer = std::numeric_limits<qint64>::min();
        else
            out.integer = -qint64(magnitude);
        return true;
    }

    // \a depth: the containers around this term. Recursion stops at EtfLimits::maxDepth.
    bool decode(EtfTerm &out, int depth)
    {
        const qsizetype tagOffset = m_pos;
        if (m_pos >= m_size) {
            fail(tagOffset, u"truncated input (a term was expected)"_s);
            return false;
        }
        if (!countTerms(tagOffset, 1))
            return false;
        const quint8 tag = u8();
        switch (tag) {
        case SmallIntegerExt:
            if (!needHeader(tagOffset, tag, 1))
                return false;
            out.kind = EtfTerm::Kind::Integer;
            out.integer = u8();
            return true;
        case IntegerExt:
            if (!needHeader(tagOffset, tag, 4))
                return false;
            out.kind = EtfTerm::Kind::Integer;
            out.integer = qint32(u32());
            return true;
        case NewFloatExt: {
            if (!needHeader(tagOffset, tag, 8))
                return false;
            const quint64 bits = qFromBigEndian<quint64>(m_data + m_pos);
            m_pos += 8;
            double value;
            static_assert(sizeof(value) == sizeof(bits));
            std::memcpy(&value, &bits, sizeof(value));
            if (!std::isfinite(value)) {
                fail(tagOffset, u"NEW_FLOAT_EXT is not a finite number"_s);
                return false;
            }
            out.kind = EtfTerm::Kind::Float;
            out.real = value;
            return true;
        }
        case AtomExt:
        case AtomUtf8Ext:
            if (!needHeader(tagOffset, tag, 2))
                return false;
            return decodeAtom(out, tagOffset, tag, u16(), tag == AtomUtf8Ext);
        case SmallAtomExt:
        case SmallAtomUtf8Ext:
            if (!needHeader(tagOffset, tag, 1))
                return false;
            return decodeAtom(out, tagOffset, tag, u8(), tag == SmallAtomUtf8Ext);
        case BinaryExt: {
            if (!needHeader(tagOffset, tag, 4))
                return false;
            const quint32 length = u32();
            if (!needPayload(tagOffset, tag, length))
                return false;
            out.kind = EtfTerm::Kind::Binary;
            out.binary =
                    QByteArray(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(length));
            m_pos += qsizetype(length);
            return true;
        }
        case NilExt:
            out.kind = EtfTerm::Kind::List;
            return true;
        case StringExt: {
            if (!needHeader(tagOffset, tag, 2))
                return false;
            const quint16 length = u16();
            if (!needPayload(tagOffset, tag, length) || !countTerms(tagOffset, length))
                return false;
            out.kind = EtfTerm::Kind::List;
            out.items.reserve(length);
            for (quint16 i = 0; i < length; ++i)
                out.items.append(EtfTerm::makeInteger(u8()));
            return true;
        }
        case ListExt: {
            if (!needHeader(tagOffset, tag, 4))
                return false;
            const quint32 count = u32();
            // Each element takes at least one byte, and so does the tail.
            if (!needElements(tagOffset, tag, count, 1, 1, u"elements"_s)
                || !enter(tagOffset, depth))
                return false;
            out.kind = EtfTerm::Kind::List;
            out.items.resize(qsizetype(count));
            for (EtfTerm &item : out.items) {
                if (!decode(item, depth + 1))
                    return false;
            }
            if (m_pos >= m_size) {
                fail(m_pos, u"truncated LIST_EXT (its tail is missing)"_s);
                return false;
            }
            if (m_data[m_pos] != NilExt) {
                fail(m_pos,
                     u"improper list (the tail of the LIST_EXT at offset %1 is not [])"_s.arg(
                             tagOffset));
                return false;
            }
            ++m_pos;
            return true;
        }
        case SmallTupleExt:
        case LargeTupleExt: {
            const quint32 headerSize = tag == SmallTupleExt ? 1 : 4;
            if (!needHeader(tagOffset, tag, headerSize))
                return false;
            const quint32 arity = tag == SmallTupleExt ? u8() : u32();
            if (!needElements(tagOffset, tag, arity, 1, 0, u"elements"_s)
                || !enter(tagOffset, depth))
                return false;
            out.kind = EtfTerm::Kind::Tuple;
            out.items.resize(qsizetype(arity));
            for (EtfTerm &item : out.items) {
                if (!decode(item, depth + 1))
                    return false;
            }
            return true;
        }
        case MapExt: {
            if (!needHeader(tagOffset, tag, 4))
                return false;
            const quint32 arity = u32();
            if (!needElements(tagOffset, tag, arity, 2, 0, u"pairs"_s) || !enter(tagOffset, depth))
                return false;
            out.kind = EtfTerm::Kind::Map;
            out.pairs.resize(qsizetype(arity));
            for (auto &pair : out.pairs) {
                if (!decode(pair.first, depth + 1) || !decode(pair.second, depth + 1))
                    return false;
            }
            return true;
        }
        case SmallBigExt:
            if (!needHeader(tagOffset, tag, 1))
                return false;
            return decodeBig(out, tagOffset, tag, u8());
        case LargeBigExt:
            if (!needHeader(tagOffset, tag, 4))
                return false;
            return decodeBig(out, tagOffset, tag, u32());
        default:
            break;
        }
        const QString name = tagName(tag);
        if (name.isEmpty())
            fail(tagOffset, u"unknown tag %1"_s.arg(tag));
        else if (tag == CompressedExt)
            fail(tagOffset, u"unknown tag 80 (compressed terms are not supported)"_s);
        else
            fail(tagOffset, u"unsupported tag %1 (%2)"_s.arg(tag).arg(name));
        return false;
    }

    const quint8 *m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
    qsizetype m_terms = 0;
    const EtfLimits &m_limits;
};

// --- encoding ------------------------------------------------------------------------

class Encoder
{
public:
    explicit Encoder(bool utf8Atoms)
        : m_utf8Atoms(utf8Atoms)
    { }

    QByteArray out;

    void encode(const EtfTerm &term)
    {
        switch (term.kind) {
        case EtfTerm::Kind::Integer:
            encodeInteger(term.integer);
            return;
        case EtfTerm::Kind::Float: {
            out.append(char(NewFloatExt));
            quint64 bits;
            std::memcpy(&bits, &term.real, sizeof(bits));
            appendBigEndian(bits);
            return;
        }
        case EtfTerm::Kind::Atom:
            encodeAtom(term.atom);
            return;
        case EtfTerm::Kind::Binary:
            out.append(char(BinaryExt));
            appendBigEndian(quint32(term.binary.size()));
            out.append(term.binary);
            return;
        case EtfTerm::Kind::List:
            encodeList(term.items);
            return;
        case EtfTerm::Kind::Tuple:
            if (term.items.size() <= 255) {
                out.append(char(SmallTupleExt));
                out.append(char(quint8(term.items.size())));
            } else {
                out.append(char(LargeTupleExt));
                appendBigEndian(quint32(term.items.size()));
            }
            for (const EtfTerm &item : term.items)
                encode(item);
            return;
        case EtfTerm::Kind::Map:
            out.append(char(MapExt));
            appendBigEndian(quint32(term.pairs.size()));
            for (const auto &[key, value] : term.pairs) {
                encode(key);
                encode(value);
            }
            return;
        }
    }

private:
    template<typename T>
    void appendBigEndian(T value)
    {
        char bytes[sizeof(T)];
        qToBigEndian(value, bytes);
        out.append(bytes, sizeof(T));
    }

    void encodeInteger(qint64 value)
    {
        if (value >= 0 && value <= 255) {
            out.append(char(SmallIntegerExt));
            out.append(char(quint8(value)));
        } else if (value >= std::numeric_limits<qint32>::min()
                   && value <= std::numeric_limits<qint32>::max()) {
            out.append(char(IntegerExt));
            appendBigEndian(quint32(qint32(value)));
        } else {
            // Magnitude in unsigned arithmetic: well-defined for INT64_MIN too.
            quint64 magnitude = value < 0 ? 0 - quint64(value) : quint64(value);
            char digits[8];
            quint8 count = 0;
            while (magnitude != 0) {
                digits[count++] = char(quint8(magnitude & 0xff));
                magnitude >>= 8;
            }
            out.append(char(SmallBigExt));
            out.append(char(count));
            out.append(char(value < 0 ? 1 : 0));
            out.append(digits, count);
        }
    }

    void encodeAtom(const QString &name)
    {
        // Erlang's choice: Latin-1 ATOM_EXT on OTP <= 25 whenever the atom is Latin-1,
        // the UTF-8 tags otherwise (and always with minor_version 2, the OTP 26+ default).
        bool latin1 = !m_utf8Atoms;
        for (qsizetype i = 0; latin1 && i < name.size(); ++i)
            latin1 = name.at(i).unicode() <= 0xff;
        QByteArray bytes = latin1 ? name.toLatin1() : name.toUtf8();
        // No ETF holds more; Erlang atoms never come near (255 characters at most).
        if (bytes.size() > 0xffff)
            bytes.truncate(0xffff);
        if (latin1) {
            out.append(char(AtomExt));
            appendBigEndian(quint16(bytes.size()));
        } else if (bytes.size() <= 255) {
            out.append(char(SmallAtomUtf8Ext));
            out.append(char(quint8(bytes.size())));
        } else {
            out.append(char(AtomUtf8Ext));
            appendBigEndian(quint16(bytes.size()));
        }
        out.append(bytes);
    }

    void encodeList(const QList<EtfTerm> &items)
    {
        if (items.isEmpty()) {
            out.append(char(NilExt));
            return;
        }
        // Like Erlang: a list of bytes (0..255) of at most 65535 elements is a STRING_EXT.
        bool bytes = items.size() <= 0xffff;
        for (qsizetype i = 0; bytes && i < items.size(); ++i) {
            const EtfTerm &item = items.at(i);
            bytes = item.isInteger() && item.integer >= 0 && item.integer <= 255;
        }
        if (bytes) {
            out.append(char(StringExt));
            appendBigEndian(quint16(items.size()));
            for (const EtfTerm &item : items)
                out.append(char(quint8(item.integer)));
            return;
        }
        out.append(char(ListExt));
        appendBigEndian(quint32(items.size()));
        for (const EtfTerm &item : items)
            encode(item);
        out.append(char(NilExt));
    }

    bool m_utf8Atoms;
};

// --- rendering -----------------------------------------------------------------------

bool isIdentifierStart(QChar c)
{
    return c == u'_' || c.isLetter();
}

bool isIdentifierPart(QChar c)
{
    return c == u'_' || c == u'@' || c.isLetterOrNumber();
}

// An atom Elixir writes without quotes: an identifier (`foo`, `Foo`, `valid?`, `save!`).
bool isPlainIdentifier(QStringView name)
{
    if (name.isEmpty() || !isIdentifierStart(name.front()))
        return false;
    qsizetype end = name.size();
    if (name.back() == u'?' || name.back() == u'!')
        --end;
    for (qsizetype i = 1; i < end; ++i) {
        if (!isIdentifierPart(name.at(i)))
            return false;
    }
    return end > 0;
}

// Operator atoms Elixir writes unquoted (`:|`, `:.`, `:%{}`).
bool isOperatorAtom(QStringView name)
{
    static constexpr QStringView operators[] = {
            u"|",   u".",  u"%{}",  u"{}",  u"%",   u"<<>>", u"..",  u"...", u"..//", u"+",  u"-",
            u"*",   u"/",  u"++",   u"--",  u"+++", u"---",  u"<>",  u"^",   u"^^^",  u"!",  u"~~~",
            u"=",   u"==", u"!=",   u"===", u"!==", u"=~",   u"<",   u">",   u"<=",   u">=", u"&&",
            u"&&&", u"||", u"|||",  u"|>",  u"<<<", u">>>",  u"<<~", u"~>>", u"<~",   u"~>", u"<~>",
            u"<|>", u"::", u"\\\\", u"<-",  u"->",  u"&",    u"@",   u"=>",
    };
    for (QStringView op : operators) {
        if (op == name)
            return true;
    }
    return false;
}

class Renderer
{
public:
    static constexpr qsizetype Limit = 4000;
    // Deeper containers show as "…": the recursion stays as shallow as the decoder's
    // (a term built by hand may nest deeper than anything decodeEtf() returns).
    static constexpr int MaxDepth = EtfLimits().maxDepth;

    QString out;

    bool full() const { return out.size() > Limit; }

    void render(const EtfTerm &term)
    {
        if (full())
            return;
        // Only the elements of lists, tuples and maps nest (empty ones are leaves).
        const bool nests = !term.items.isEmpty() || !term.pairs.isEmpty();
        if (nests && m_depth >= MaxDepth) {
            out += u'…';
            return;
        }
        ++m_depth;
        renderTerm(term);
        --m_depth;
    }

private:
    void renderTerm(const EtfTerm &term)
    {
        switch (term.kind) {
        case EtfTerm::Kind::Integer:
            out += QString::number(term.integer);
            return;
        case EtfTerm::Kind::Float:
            renderFloat(term.real);
            return;
        case EtfTerm::Kind::Atom:
            renderAtom(term.atom);
            return;
        case EtfTerm::Kind::Binary:
            renderBinary(term.binary);
            return;
        case EtfTerm::Kind::List:
            out += u'[';
            if (isKeywordList(term.items)) {
                for (qsizetype i = 0; i < term.items.size() && !full(); ++i) {
                    if (i > 0)
                        out += u", "_s;
                    renderKey(term.items.at(i).items.at(0).atom);
                    render(term.items.at(i).items.at(1));
                }
            } else {
                renderSequence(term.items);
            }
            out += u']';
            return;
        case EtfTerm::Kind::Tuple:
            out += u'{';
            renderSequence(term.items);
            out += u'}';
            return;
        case EtfTerm::Kind::Map: {
            out += u"%{"_s;
            bool atomKeys = true;
            for (const auto &pair : term.pairs)
                atomKeys = atomKeys && pair.first.isAtom();
            for (qsizetype i = 0; i < term.pairs.size() && !full(); ++i) {
                if (i > 0)
                    out += u", "_s;
                const auto &[key, value] = term.pairs.at(i);
                if (atomKeys) {
                    renderKey(key.atom);
                } else {
                    render(key);
                    out += u" => "_s;
                }
                render(value);
            }
            out += u'}';
            return;
        }
        }
    }

    static bool isKeywordList(const QList<EtfTerm> &items)
    {
        if (items.isEmpty())
            return false;
        for (const EtfTerm &item : items) {
            if (!item.isTuple(2) || !item.items.at(0).isAtom())
                return false;
        }
        return true;
    }

    void renderSequence(const QList<EtfTerm> &items)
    {
        for (qsizetype i = 0; i < items.size() && !full(); ++i) {
            if (i > 0)
                out += u", "_s;
            render(items.at(i));
        }
    }

    void renderFloat(double value)
    {
        QString text = QString::number(value, 'g', QLocale::FloatingPointShortest);
        // Elixir floats always show a fraction: 1.0, 1.0e20.
        const qsizetype exponent = text.indexOf(u'e');
        if (!text.contains(u'.') && std::isfinite(value))
            text.insert(exponent < 0 ? text.size() : exponent, u".0"_s);
        // 1.5e-07 -> 1.5e-7, 1.0e+20 -> 1.0e20.
        text.remove(u'+');
        text.replace(u"e-0"_s, u"e-"_s);
        text.replace(u"e0"_s, u"e"_s);
        out += text;
    }

    void renderAtom(const QString &name)
    {
        if (name == u"nil" || name == u"true" || name == u"false") {
            out += name;
            return;
        }
        out += u':';
        if (isPlainIdentifier(name) || isOperatorAtom(name))
            out += name;
        else
            renderQuoted(name);
    }

    // A keyword or map key: `line: `, `"Elixir.Foo": `.
    void renderKey(const QString &name)
    {
        if (isPlainIdentifier(name))
            out += name;
        else
            renderQuoted(name);
        out += u": "_s;
    }

    void renderQuoted(QStringView text)
    {
        out += u'"';
        for (qsizetype i = 0; i < text.size(); ++i) {
            if ((i & 0xff) == 0 && full())
                break;
            const QChar c = text.at(i);
            switch (c.unicode()) {
            case u'"':
                out += u"\\\""_s;
                break;
            case u'\\':
                out += u"\\\\"_s;
                break;
            case u'\n':
                out += u"\\n"_s;
                break;
            case u'\r':
                out += u"\\r"_s;
                break;
            case u'\t':
                out += u"\\t"_s;
                break;
            case u'#':
                // "#{" would start an interpolation.
                out += (i + 1 < text.size() && text.at(i + 1) == u'{') ? u"\\#"_s : u"#"_s;
                break;
            default:
                if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                    out += u"\\x"_s
                            + QString::number(c.unicode(), 16).toUpper().rightJustified(2, u'0');
                else
                    out += c;
            }
        }
        out += u'"';
    }

    void renderBinary(const QByteArray &binary)
    {
        // Only as much of the binary as can still be shown (a UTF-8 character is
        // at most 4 bytes, an escaped byte at most 4 characters).
        const qsizetype budget = Limit + 1 - out.size();
        if (QByteArrayView(binary).isValidUtf8()) {
            qsizetype take = qMin(binary.size(), budget * 4);
            while (take < binary.size() && take > 0 && (quint8(binary.at(take)) & 0xc0) == 0x80)
                --take;
            renderQuoted(fromUtf8(QByteArrayView(binary.constData(), take)));
            return;
        }
        out += u"<<"_s;
        const qsizetype take = qMin(binary.size(), budget);
        for (qsizetype i = 0; i < take; ++i) {
            if (i > 0)
                out += u", "_s;
            out += QString::number(quint8(binary.at(i)));
        }
        out += u">>"_s;
    }

    int m_depth = 0;
};

bool pairsEqual(const QList<std::pair<EtfTerm, EtfTerm>> &a,
                const QList<std::pair<EtfTerm, EtfTerm>> &b)
{
    if (a.size() != b.size())
        return false;
    // Same order (the usual case: one encoder, or a round trip) first.
    bool sameOrder = true;
    for (qsizetype i = 0; sameOrder && i < a.size(); ++i)
        sameOrder = a.at(i) == b.at(i);
    if (sameOrder)
        return true;
    // Unordered: every pair of a matches a distinct pair of b (duplicates count).
    QList<bool> used(b.size(), false);
    for (const auto &pair : a) {
        bool found = false;
        for (qsizetype j = 0; j < b.size() && !found; ++j) {
            if (!used.at(j) && pair == b.at(j)) {
                used[j] = true;
                found = true;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

} // namespace

QString EtfTerm::text() const
{
    return fromUtf8(binary);
}

const EtfTerm *EtfTerm::value(QStringView atomKey) const
{
    if (kind != Kind::Map)
        return nullptr;
    for (const auto &[key, value] : pairs) {
        if (key.isAtom(atomKey))
            return &value;
    }
    return nullptr;
}

const EtfTerm *EtfTerm::keyword(QStringView atomKey) const
{
    if (kind != Kind::List)
        return nullptr;
    for (const EtfTerm &item : items) {
        if (item.isTuple(2) && item.items.at(0).isAtom(atomKey))
            return &item.items.at(1);
    }
    return nullptr;
}

bool operator==(const EtfTerm &a, const EtfTerm &b)
{
    if (a.kind != b.kind)
        return false;
    switch (a.kind) {
    case EtfTerm::Kind::Integer:
        return a.integer == b.integer;
    case EtfTerm::Kind::Float:
        return a.real == b.real;
    case EtfTerm::Kind::Atom:
        return a.atom == b.atom;
    case EtfTerm::Kind::Binary:
        return a.binary == b.binary;
    case EtfTerm::Kind::List:
    case EtfTerm::Kind::Tuple:
        return a.items == b.items;
    case EtfTerm::Kind::Map:
        return pairsEqual(a.pairs, b.pairs);
    }
    return false;
}

QString EtfTerm::toString() const
{
    Renderer renderer;
    renderer.render(*this);
    if (renderer.full()) {
        renderer.out.truncate(Renderer::Limit);
        renderer.out += u'…';
    }
    return renderer.out;
}

EtfTerm EtfTerm::makeAtom(const QString &name)
{
    EtfTerm term;
    term.kind = Kind::Atom;
    term.atom = name;
    return term;
}

EtfTerm EtfTerm::makeInteger(qint64 value)
{
    EtfTerm term;
    term.kind = Kind::Integer;
    term.integer = value;
    return term;
}

EtfTerm EtfTerm::makeFloat(double value)
{
    EtfTerm term;
    term.kind = Kind::Float;
    term.real = value;
    return term;
}

EtfTerm EtfTerm::makeBinary(const QByteArray &bytes)
{
    EtfTerm term;
    term.kind = Kind::Binary;
    term.binary = bytes;
    return term;
}

EtfTerm EtfTerm::makeList(QList<EtfTerm> items)
{
    EtfTerm term;
    term.kind = Kind::List;
    term.items = std::move(items);
    return term;
}

EtfTerm EtfTerm::makeTuple(QList<EtfTerm> items)
{
    EtfTerm term;
    term.kind = Kind::Tuple;
    term.items = std::move(items);
    return term;
}

EtfTerm EtfTerm::makeMap(QList<std::pair<EtfTerm, EtfTerm>> pairs)
{
    EtfTerm term;
    term.kind = Kind::Map;
    term.pairs = std::move(pairs);
    return term;
}

std::optional<EtfTerm> decodeEtf(QByteArrayView data, QString *error, const EtfLimits &limits)
{
    Decoder decoder(data, limits);
    std::optional<EtfTerm> term = decoder.run();
    if (error)
        *error = term ? QString() : decoder.error;
    return term;
}

QByteArray encodeEtf(const EtfTerm &term, bool utf8Atoms)
{
    Encoder encoder(utf8Atoms);
    encoder.out.append(char(VersionMagic));
    encoder.encode(term);
    return encoder.out;
}

} // namespace MusubiCodegen

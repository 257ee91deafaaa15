// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <etfterm.h>

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtTest/QtTest>

#include <initializer_list>
#include <limits>

using namespace Qt::StringLiterals;
using MusubiCodegen::decodeEtf;
using MusubiCodegen::encodeEtf;
using MusubiCodegen::EtfLimits;
using MusubiCodegen::EtfTerm;

Q_DECLARE_METATYPE(MusubiCodegen::EtfTerm)

namespace MusubiCodegen {
// QCOMPARE's rendering of a term (found by ADL).
char *toString(const EtfTerm &term)
{
    return qstrdup(term.toString().toUtf8().constData());
}
} // namespace MusubiCodegen

namespace {

QByteArray bytes(std::initializer_list<int> values)
{
    QByteArray out;
    out.reserve(qsizetype(values.size()));
    for (int value : values)
        out.append(char(quint8(value)));
    return out;
}

EtfTerm integer(qint64 value)
{
    return EtfTerm::makeInteger(value);
}
EtfTerm real(double value)
{
    return EtfTerm::makeFloat(value);
}
EtfTerm atom(const QString &name)
{
    return EtfTerm::makeAtom(name);
}
EtfTerm binary(const QByteArray &data)
{
    return EtfTerm::makeBinary(data);
}
EtfTerm list(QList<EtfTerm> items = {})
{
    return EtfTerm::makeList(std::move(items));
}
EtfTerm tuple(QList<EtfTerm> items = {})
{
    return EtfTerm::makeTuple(std::move(items));
}
EtfTerm map(QList<std::pair<EtfTerm, EtfTerm>> pairs = {})
{
    return EtfTerm::makeMap(std::move(pairs));
}

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(MUSUBI_ETF_FIXTURES) + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// The fixture files tst_etf reads (tests/codegen/fixtures/etf/write-etf-fixtures.exs).
const QStringList decodableFixtures = {u"manifest"_s, u"all_tags"_s};

// The value of a map's pair whose key equals \a key; nullptr when absent.
const EtfTerm *lookup(const EtfTerm &map, const EtfTerm &key)
{
    for (const auto &[k, v] : map.pairs) {
        if (k == key)
            return &v;
    }
    return nullptr;
}

} // namespace

class tst_Etf : public QObject
{
    Q_OBJECT
private slots:
    void decodeTags_data();
    void decodeTags();
    void decodeErrors_data();
    void decodeErrors();
    void bigIntegers_data();
    void bigIntegers();
    void hugeIntegerFixture_data();
    void hugeIntegerFixture();
    void fixtureEncodingsAgree_data();
    void fixtureEncodingsAgree();
    void fixtureAllTags_data();
    void fixtureAllTags();
    void fixtureManifest_data();
    void fixtureManifest();
    void encodeMatchesErlang_data();
    void encodeMatchesErlang();
    void encodeTags_data();
    void encodeTags();
    void roundTrip_data();
    void roundTrip();
    void mapEqualityIgnoresOrder();
    void equalityByValue();
    void stringExtIsListOfIntegers();
    void truncatedPrefixes_data();
    void truncatedPrefixes();
    void hostileCountFailsFast_data();
    void hostileCountFailsFast();
    void depthBomb_data();
    void depthBomb();
    void depthLimit();
    void termLimit();
    void lookups();
    void toStringAst();
    void toString_data();
    void toString();
    void toStringDepth();
    void toStringIsBounded_data();
    void toStringIsBounded();
};

void tst_Etf::decodeTags_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<EtfTerm>("expected");

    QTest::newRow("SMALL_INTEGER_EXT 0") << bytes({131, 97, 0}) << integer(0);
    QTest::newRow("SMALL_INTEGER_EXT 255") << bytes({131, 97, 255}) << integer(255);
    QTest::newRow("INTEGER_EXT 256") << bytes({131, 98, 0, 0, 1, 0}) << integer(256);
    QTest::newRow("INTEGER_EXT -1") << bytes({131, 98, 255, 255, 255, 255}) << integer(-1);
    QTest::newRow("INTEGER_EXT min") << bytes({131, 98, 0x80, 0, 0, 0}) << integer(-2147483648LL);
    QTest::newRow("INTEGER_EXT max")
            << bytes({131, 98, 0x7f, 0xff, 0xff, 0xff}) << integer(2147483647);
    QTest::newRow("NEW_FLOAT_EXT 1.5")
            << bytes({131, 70, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0}) << real(1.5);
    QTest::newRow("NEW_FLOAT_EXT -0.25")
            << bytes({131, 70, 0xbf, 0xd0, 0, 0, 0, 0, 0, 0}) << real(-0.25);
    QTest::newRow("ATOM_EXT Latin-1")
            << bytes({131, 100, 0, 4, 'c', 'a', 'f', 0xe9}) << atom(u"caf\u00e9"_s);
    QTest::newRow("ATOM_EXT empty") << bytes({131, 100, 0, 0}) << atom(QString());
    QTest::newRow("SMALL_ATOM_EXT") << bytes({131, 115, 2, 'o', 'k'}) << atom(u"ok"_s);
    QTest::newRow("SMALL_ATOM_EXT Latin-1") << bytes({131, 115, 1, 0xe9}) << atom(u"\u00e9"_s);
    QTest::newRow("ATOM_UTF8_EXT")
            << bytes({131, 118, 0, 5, 'c', 'a', 'f', 0xc3, 0xa9}) << atom(u"caf\u00e9"_s);
    QTest::newRow("SMALL_ATOM_UTF8_EXT") << bytes({131, 119, 2, 0xc4, 0x89}) << atom(u"\u0109"_s);
    QTest::newRow("SMALL_ATOM_UTF8_EXT astral")
            << bytes({131, 119, 4, 0xf0, 0x9f, 0x98, 0x80}) << atom(u"\U0001F600"_s);
    QTest::newRow("SMALL_ATOM_UTF8_EXT leading U+FEFF")
            << bytes({131, 119, 4, 0xef, 0xbb, 0xbf, 'a'}) << atom(u"\ufeffa"_s);
    QTest::newRow("BINARY_EXT") << bytes({131, 109, 0, 0, 0, 3, 'a', 0, 0xff})
                                << binary(QByteArray("a\0\xff", 3));
    QTest::newRow("BINARY_EXT empty") << bytes({131, 109, 0, 0, 0, 0}) << binary(QByteArray());
    QTest::newRow("NIL_EXT") << bytes({131, 106}) << list();
    QTest::newRow("STRING_EXT") << bytes({131, 107, 0, 2, 1, 200})
                                << list({integer(1), integer(200)});
    QTest::newRow("STRING_EXT empty") << bytes({131, 107, 0, 0}) << list();
    QTest::newRow("LIST_EXT") << bytes({131, 108, 0, 0, 0, 2, 97, 1, 100, 0, 1, 'a', 106})
                              << list({integer(1), atom(u"a"_s)});
    QTest::newRow("LIST_EXT empty") << bytes({131, 108, 0, 0, 0, 0, 106}) << list();
    QTest::newRow("SMALL_TUPLE_EXT")
            << bytes({131, 104, 2, 97, 1, 106}) << tuple({integer(1), list()});
    QTest::newRow("SMALL_TUPLE_EXT empty") << bytes({131, 104, 0}) << tuple();
    QTest::newRow("LARGE_TUPLE_EXT")
            << bytes({131, 105, 0, 0, 0, 2, 97, 1, 97, 2}) << tuple({integer(1), integer(2)});
    QTest::newRow("MAP_EXT") << bytes({131, 116, 0, 0, 0, 1, 100, 0, 1, 'a', 97, 1})
                             << map({{atom(u"a"_s), integer(1)}});
    QTest::newRow("MAP_EXT empty") << bytes({131, 116, 0, 0, 0, 0}) << map();
    QTest::newRow("SMALL_BIG_EXT 2^31")
            << bytes({131, 110, 4, 0, 0, 0, 0, 0x80}) << integer(2147483648LL);
    QTest::newRow("SMALL_BIG_EXT -(2^31 + 1)")
            << bytes({131, 110, 4, 1, 1, 0, 0, 0x80}) << integer(-2147483649LL);
    QTest::newRow("LARGE_BIG_EXT 5e9")
            << bytes({131, 111, 0, 0, 0, 5, 0, 0x00, 0xf2, 0x05, 0x2a, 0x01})
            << integer(5'000'000'000LL);
    QTest::newRow("nested") << bytes({131, 104, 2, 116, 0, 0, 0,   1, 109, 0, 0,   0,  1,
                                      'k', 108, 0, 0,   0, 1, 107, 0, 1,   7, 106, 106})
                            << tuple({map({{binary("k"), list({list({integer(7)})})}}), list()});
}

void tst_Etf::decodeTags()
{
    QFETCH(QByteArray, data);
    QFETCH(EtfTerm, expected);
    QString error;
    const std::optional<EtfTerm> term = decodeEtf(data, &error);
    QVERIFY2(term, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(term->kind, expected.kind);
    QCOMPARE(*term, expected);
}

void tst_Etf::decodeErrors_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty input") << QByteArray() << u"offset 0: empty input"_s;
    QTest::newRow("wrong version")
            << bytes({130, 97, 1})
            << u"offset 0: version byte 130, expected 131 (not External Term Format)"_s;
    QTest::newRow("JSON") << QByteArray("{}")
                          << u"offset 0: version byte 123, expected 131 (not External Term "
                             u"Format)"_s;
    QTest::newRow("version byte only")
            << bytes({131}) << u"offset 1: truncated input (a term was expected)"_s;
    QTest::newRow("compressed (80)")
            << bytes({131, 80, 0, 0, 0, 1, 0x78, 0x9c})
            << u"offset 1: unknown tag 80 (compressed terms are not supported)"_s;
    QTest::newRow("PID_EXT (103)") << bytes({131, 103, 100, 0, 1, 'n', 0, 0, 0, 1, 0, 0, 0, 0, 0})
                                   << u"offset 1: unsupported tag 103 (PID_EXT)"_s;
    QTest::newRow("FUN_EXT (117)")
            << bytes({131, 117, 0, 0, 0, 0}) << u"offset 1: unsupported tag 117 (FUN_EXT)"_s;
    QTest::newRow("NEW_PID_EXT (88)")
            << bytes({131, 88}) << u"offset 1: unsupported tag 88 (NEW_PID_EXT)"_s;
    QTest::newRow("NEWER_REFERENCE_EXT (90)")
            << bytes({131, 90}) << u"offset 1: unsupported tag 90 (NEWER_REFERENCE_EXT)"_s;
    QTest::newRow("EXPORT_EXT (113)")
            << bytes({131, 113}) << u"offset 1: unsupported tag 113 (EXPORT_EXT)"_s;
    QTest::newRow("FLOAT_EXT (99)")
            << bytes({131, 99}) << u"offset 1: unsupported tag 99 (FLOAT_EXT)"_s;
    QTest::newRow("BIT_BINARY_EXT (77)")
            << bytes({131, 77}) << u"offset 1: unsupported tag 77 (BIT_BINARY_EXT)"_s;
    QTest::newRow("unknown tag 0") << bytes({131, 0}) << u"offset 1: unknown tag 0"_s;
    QTest::newRow("unknown tag 255") << bytes({131, 255}) << u"offset 1: unknown tag 255"_s;
    QTest::newRow("unknown tag inside a tuple")
            << bytes({131, 104, 2, 97, 1, 103}) << u"offset 5: unsupported tag 103 (PID_EXT)"_s;
    QTest::newRow("trailing garbage")
            << bytes({131, 106, 1, 2, 3}) << u"offset 2: 3 trailing bytes after the term"_s;
    QTest::newRow("two terms") << bytes({131, 97, 1, 97, 2})
                               << u"offset 3: 2 trailing bytes after the term"_s;
    QTest::newRow("second version byte")
            << bytes({131, 106, 131}) << u"offset 2: 1 trailing bytes after the term"_s;

    QByteArray binary400 = bytes({131, 109, 0, 0, 1, 0x90});
    binary400.append(12, 'x');
    QTest::newRow("truncated BINARY_EXT")
            << binary400 << u"offset 1: truncated BINARY_EXT (announces 400 bytes, 12 remain)"_s;
    QTest::newRow("truncated BINARY_EXT header")
            << bytes({131, 109, 0, 0})
            << u"offset 1: truncated BINARY_EXT (its header needs 4 bytes, 2 remain)"_s;
    QTest::newRow("truncated SMALL_INTEGER_EXT")
            << bytes({131, 97})
            << u"offset 1: truncated SMALL_INTEGER_EXT (its header needs 1 bytes, 0 remain)"_s;
    QTest::newRow("truncated INTEGER_EXT")
            << bytes({131, 98, 0, 0})
            << u"offset 1: truncated INTEGER_EXT (its header needs 4 bytes, 2 remain)"_s;
    QTest::newRow("truncated NEW_FLOAT_EXT")
            << bytes({131, 70, 0x3f, 0xf8, 0, 0, 0, 0, 0})
            << u"offset 1: truncated NEW_FLOAT_EXT (its header needs 8 bytes, 7 remain)"_s;
    QTest::newRow("truncated ATOM_EXT")
            << bytes({131, 100, 0, 5, 'a'})
            << u"offset 1: truncated ATOM_EXT (announces 5 bytes, 1 remain)"_s;
    QTest::newRow("truncated SMALL_ATOM_UTF8_EXT")
            << bytes({131, 119, 3, 'a', 'b'})
            << u"offset 1: truncated SMALL_ATOM_UTF8_EXT (announces 3 bytes, 2 remain)"_s;
    QTest::newRow("truncated STRING_EXT")
            << bytes({131, 107, 0, 3, 1, 2})
            << u"offset 1: truncated STRING_EXT (announces 3 bytes, 2 remain)"_s;
    QTest::newRow("truncated SMALL_BIG_EXT")
            << bytes({131, 110, 8, 0, 1, 2, 3})
            << u"offset 1: truncated SMALL_BIG_EXT (announces 9 bytes, 4 remain)"_s;
    QTest::newRow("truncated element")
            << bytes({131, 104, 2, 97, 1, 98, 0})
            << u"offset 5: truncated INTEGER_EXT (its header needs 4 bytes, 1 remain)"_s;
    QTest::newRow("LIST_EXT tail missing")
            << bytes({131, 108, 0, 0, 0, 1, 98, 0, 0, 0, 1})
            << u"offset 11: truncated LIST_EXT (its tail is missing)"_s;
    QTest::newRow("LIST_EXT tail cut")
            << bytes({131, 108, 0, 0, 0, 1, 97, 1, 97})
            << u"offset 8: improper list (the tail of the LIST_EXT at offset 1 is not [])"_s;
    QTest::newRow("improper list")
            << bytes({131, 108, 0, 0, 0, 1, 97, 1, 97, 2})
            << u"offset 8: improper list (the tail of the LIST_EXT at offset 1 is not [])"_s;
    QTest::newRow("hostile LIST_EXT count")
            << bytes({131, 108, 0xff, 0xff, 0xff, 0xff, 97, 1, 97, 2, 106})
            << u"offset 1: truncated LIST_EXT (announces 4294967295 elements, 5 bytes remain)"_s;
    QTest::newRow("LIST_EXT count leaves no room for the tail")
            << bytes({131, 108, 0, 0, 0, 2, 97, 1})
            << u"offset 1: truncated LIST_EXT (announces 2 elements, 2 bytes remain)"_s;
    QTest::newRow("hostile LARGE_TUPLE_EXT count")
            << bytes({131, 105, 0xff, 0xff, 0xff, 0xff, 106})
            << u"offset 1: truncated LARGE_TUPLE_EXT (announces 4294967295 elements, 1 bytes "
               u"remain)"_s;
    QTest::newRow("hostile SMALL_TUPLE_EXT count")
            << bytes({131, 104, 255, 97, 1})
            << u"offset 1: truncated SMALL_TUPLE_EXT (announces 255 elements, 2 bytes remain)"_s;
    QTest::newRow("hostile MAP_EXT count")
            << bytes({131, 116, 0x80, 0, 0, 0, 97, 1, 97, 2, 106})
            << u"offset 1: truncated MAP_EXT (announces 2147483648 pairs, 5 bytes remain)"_s;
    QTest::newRow("MAP_EXT pair needs two terms")
            << bytes({131, 116, 0, 0, 0, 2, 97, 1, 97})
            << u"offset 1: truncated MAP_EXT (announces 2 pairs, 3 bytes remain)"_s;
    QTest::newRow("hostile BINARY_EXT length")
            << bytes({131, 109, 0xff, 0xff, 0xff, 0xff, 1})
            << u"offset 1: truncated BINARY_EXT (announces 4294967295 bytes, 1 remain)"_s;
    QTest::newRow("hostile LARGE_BIG_EXT length")
            << bytes({131, 111, 0xff, 0xff, 0xff, 0xff, 0, 1})
            << u"offset 1: truncated LARGE_BIG_EXT (announces 4294967296 bytes, 2 remain)"_s;
    QTest::newRow("SMALL_BIG_EXT 2^63") << bytes({131, 110, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x80})
                                        << u"offset 1: integer does not fit 64 bits"_s;
    QTest::newRow("SMALL_BIG_EXT sign byte 2")
            << bytes({131, 110, 1, 2, 1}) << u"offset 1: SMALL_BIG_EXT with sign byte 2"_s;
    QTest::newRow("NEW_FLOAT_EXT NaN") << bytes({131, 70, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0})
                                       << u"offset 1: NEW_FLOAT_EXT is not a finite number"_s;
    QTest::newRow("NEW_FLOAT_EXT -infinity") << bytes({131, 70, 0xff, 0xf0, 0, 0, 0, 0, 0, 0})
                                             << u"offset 1: NEW_FLOAT_EXT is not a finite number"_s;
    QTest::newRow("SMALL_ATOM_UTF8_EXT invalid UTF-8")
            << bytes({131, 119, 1, 0xff}) << u"offset 1: SMALL_ATOM_UTF8_EXT is not valid UTF-8"_s;
    QTest::newRow("ATOM_UTF8_EXT cut UTF-8 sequence")
            << bytes({131, 118, 0, 1, 0xc3}) << u"offset 1: ATOM_UTF8_EXT is not valid UTF-8"_s;
    QByteArray longAtom = bytes({131, 100, 1, 0});
    longAtom.append(256, 'a');
    QTest::newRow("ATOM_EXT of 256 characters")
            << longAtom << u"offset 1: atom longer than 255 characters"_s;
    QByteArray longUtf8Atom = bytes({131, 118, 2, 0});
    for (int i = 0; i < 256; ++i)
        longUtf8Atom.append("\xc4\x89", 2);
    QTest::newRow("ATOM_UTF8_EXT of 256 characters")
            << longUtf8Atom << u"offset 1: atom longer than 255 characters"_s;
    QTest::newRow("error in a map value")
            << bytes({131, 116, 0, 0, 0, 1, 100, 0, 1, 'a', 108, 0, 0, 0, 1, 97, 1, 97, 2})
            << u"offset 17: improper list (the tail of the LIST_EXT at offset 10 is not [])"_s;
}

void tst_Etf::decodeErrors()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    QString actual = u"not set"_s;
    const std::optional<EtfTerm> term = decodeEtf(data, &actual);
    QVERIFY2(!term, qPrintable(term ? term->toString() : QString()));
    QCOMPARE(actual, error);
    // Without an error string it fails the same way.
    QVERIFY(!decodeEtf(data));
}

void tst_Etf::bigIntegers_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("fits");
    QTest::addColumn<qint64>("value");

    const auto smallBig = [](int sign, std::initializer_list<int> digits) {
        QByteArray out = bytes({131, 110, int(digits.size()), sign});
        for (int digit : digits)
            out.append(char(quint8(digit)));
        return out;
    };
    const auto largeBig = [](int sign, const QByteArray &digits) {
        QByteArray out = bytes({131, 111});
        char size[4];
        qToBigEndian(quint32(digits.size()), size);
        out.append(size, 4);
        out.append(char(sign));
        out.append(digits);
        return out;
    };
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    constexpr qint64 min = std::numeric_limits<qint64>::min();

    QTest::newRow("2^63 - 1") << smallBig(0, {255, 255, 255, 255, 255, 255, 255, 0x7f}) << true
                              << max;
    QTest::newRow("-2^63") << smallBig(1, {0, 0, 0, 0, 0, 0, 0, 0x80}) << true << min;
    QTest::newRow("-(2^63 - 1)") << smallBig(1, {255, 255, 255, 255, 255, 255, 255, 0x7f}) << true
                                 << -max;
    QTest::newRow("2^63") << smallBig(0, {0, 0, 0, 0, 0, 0, 0, 0x80}) << false << qint64(0);
    QTest::newRow("-(2^63 + 1)") << smallBig(1, {1, 0, 0, 0, 0, 0, 0, 0x80}) << false << qint64(0);
    QTest::newRow("2^64 - 1") << smallBig(0, {255, 255, 255, 255, 255, 255, 255, 255}) << false
                              << qint64(0);
    QTest::newRow("2^64") << smallBig(0, {0, 0, 0, 0, 0, 0, 0, 0, 1}) << false << qint64(0);
    QTest::newRow("-2^64") << smallBig(1, {0, 0, 0, 0, 0, 0, 0, 0, 1}) << false << qint64(0);
    QTest::newRow("high zero digits")
            << smallBig(0, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0}) << true << qint64(1);
    QTest::newRow("no digits") << smallBig(0, {}) << true << qint64(0);
    QTest::newRow("negative zero") << smallBig(1, {0}) << true << qint64(0);
    QTest::newRow("-1") << smallBig(1, {1}) << true << qint64(-1);
    QTest::newRow("5_000_000_000")
            << smallBig(0, {0x00, 0xf2, 0x05, 0x2a, 0x01}) << true << qint64(5'000'000'000LL);
    QByteArray digits(300, '\0');
    digits[0] = 7;
    QTest::newRow("LARGE_BIG_EXT 300 digits, 7") << largeBig(0, digits) << true << qint64(7);
    digits[0] = 7;
    digits[299] = 1;
    QTest::newRow("LARGE_BIG_EXT 300 digits, -(2^2392 + 7)")
            << largeBig(1, digits) << false << qint64(0);
    QTest::newRow("LARGE_BIG_EXT no digits") << largeBig(0, QByteArray()) << true << qint64(0);
}

void tst_Etf::bigIntegers()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, fits);
    QFETCH(qint64, value);
    QString error;
    const std::optional<EtfTerm> term = decodeEtf(data, &error);
    if (!fits) {
        QVERIFY(!term);
        QCOMPARE(error, u"offset 1: integer does not fit 64 bits"_s);
        return;
    }
    QVERIFY2(term, qPrintable(error));
    QVERIFY(term->isInteger());
    QCOMPARE(term->integer, value);
    // And back: the value survives an encoding of its own.
    const std::optional<EtfTerm> back = decodeEtf(encodeEtf(*term));
    QVERIFY(back);
    QCOMPARE(*back, *term);
}

void tst_Etf::hugeIntegerFixture_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("otp25") << u"huge_integer.otp25.etf"_s;
    QTest::newRow("otp26") << u"huge_integer.otp26.etf"_s;
}

void tst_Etf::hugeIntegerFixture()
{
    QFETCH(QString, file);
    const QByteArray data = fixture(file);
    QVERIFY(!data.isEmpty());
    // [2 ** 2100]: a LIST_EXT whose element is a LARGE_BIG_EXT at offset 6.
    QCOMPARE(quint8(data.at(1)), quint8(108));
    QCOMPARE(quint8(data.at(6)), quint8(111));
    QString error;
    QVERIFY(!decodeEtf(data, &error));
    QCOMPARE(error, u"offset 6: integer does not fit 64 bits"_s);
}

void tst_Etf::fixtureEncodingsAgree_data()
{
    QTest::addColumn<QString>("name");
    for (const QString &name : decodableFixtures)
        QTest::newRow(qPrintable(name)) << name;
}

void tst_Etf::fixtureEncodingsAgree()
{
    QFETCH(QString, name);
    const QByteArray otp25 = fixture(name + u".otp25.etf"_s);
    const QByteArray otp26 = fixture(name + u".otp26.etf"_s);
    QVERIFY(!otp25.isEmpty());
    QVERIFY(!otp26.isEmpty());
    // The two encodings differ on the wire (ATOM_EXT vs SMALL_ATOM_UTF8_EXT) ...
    QVERIFY(otp25 != otp26);
    QVERIFY(otp25.contains(char(100)));
    QString error;
    const std::optional<EtfTerm> a = decodeEtf(otp25, &error);
    QVERIFY2(a, qPrintable(error));
    const std::optional<EtfTerm> b = decodeEtf(otp26, &error);
    QVERIFY2(b, qPrintable(error));
    // ... and decode to the same term.
    QCOMPARE(*a, *b);
    QVERIFY(a->isMap());
}

void tst_Etf::fixtureAllTags_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("otp25") << u"all_tags.otp25.etf"_s;
    QTest::newRow("otp26") << u"all_tags.otp26.etf"_s;
}

void tst_Etf::fixtureAllTags()
{
    QFETCH(QString, file);
    QString error;
    const std::optional<EtfTerm> decoded = decodeEtf(fixture(file), &error);
    QVERIFY2(decoded, qPrintable(error));
    const EtfTerm &t = *decoded;
    QVERIFY(t.isMap());
    QCOMPARE(t.pairs.size(), 12);

    const EtfTerm *ints = t.value(u"ints");
    QVERIFY(ints);
    QCOMPARE(*ints,
             list({integer(0), integer(255), integer(256), integer(-1), integer(-2147483648LL),
                   integer(2147483647), integer(2147483648LL), integer(5'000'000'000LL),
                   integer(-(qint64(1) << 40)), integer(std::numeric_limits<qint64>::max()),
                   integer(std::numeric_limits<qint64>::min())}));

    const EtfTerm *floats = t.value(u"floats");
    QVERIFY(floats);
    QCOMPARE(*floats, list({real(1.5), real(-0.25), real(0.0), real(1.0e20)}));

    const EtfTerm *atoms = t.value(u"atoms");
    QVERIFY(atoms);
    QCOMPARE(atoms->items.size(), 9);
    QCOMPARE(atoms->items.at(0), atom(u"ok"_s));
    QVERIFY(atoms->items.at(1).isNil());
    QVERIFY(atoms->items.at(2).isAtom(u"true"));
    QVERIFY(atoms->items.at(3).isAtom(u"Elixir.Shop.Cart"));
    QVERIFY(atoms->items.at(4).isAtom(u"caf\u00e9"));
    QVERIFY(atoms->items.at(5).isAtom(u"\u0109apelo"));
    QCOMPARE(atoms->items.at(6).atom, QString(255, u'a'));
    QCOMPARE(atoms->items.at(7).atom, QString(200, u'\u00e9'));
    QCOMPARE(atoms->items.at(8).atom, QString(200, u'\u0109'));

    const EtfTerm *text = t.value(u"binary");
    QVERIFY(text && text->isBinary());
    QCOMPARE(text->text(), u"h\u00e9llo \u2713 \"quoted\"\n"_s);
    // text(): invalid UTF-8 replaced, a leading U+FEFF kept.
    QCOMPARE(t.value(u"raw_binary")->text(), u"\ufffd\ufffd"_s.prepend(QChar(0)));
    QCOMPARE(binary("\xef\xbb\xbf"
                    "a")
                     .text(),
             u"\ufeffa"_s);
    QCOMPARE(*t.value(u"empty_binary"), binary(QByteArray()));
    QCOMPARE(*t.value(u"raw_binary"), binary(QByteArray("\x00\xff\x80", 3)));
    QCOMPARE(*t.value(u"string"), list({integer(1), integer(200)}));
    QCOMPARE(*t.value(u"list"),
             list({integer(1), atom(u"a"_s), binary("b"), real(2.5), list({integer(3)}),
                   integer(300)}));
    QCOMPARE(*t.value(u"empty"), tuple({list(), map(), tuple()}));

    const EtfTerm *tuple300 = t.value(u"tuple300");
    QVERIFY(tuple300);
    QVERIFY(tuple300->isTuple(300));
    for (qsizetype i = 0; i < 300; ++i)
        QCOMPARE(tuple300->items.at(i), integer(i + 1));

    const EtfTerm *nested = t.value(u"nested");
    QVERIFY(nested && nested->isMap());
    QCOMPARE(*nested,
             map({{real(2.5), binary("float key")},
                  {tuple({atom(u"a"_s), integer(1)}), list()},
                  {binary("key"), map({{integer(1), list({map()})}})}}));

    const EtfTerm *bigMap = t.value(u"big_map");
    QVERIFY(bigMap && bigMap->isMap());
    QCOMPARE(bigMap->pairs.size(), 40);
    for (int i = 1; i <= 40; ++i) {
        const EtfTerm *value = lookup(*bigMap, binary("k" + QByteArray::number(i)));
        QVERIFY2(value, qPrintable(QString::number(i)));
        QCOMPARE(*value, integer(i));
    }
}

void tst_Etf::fixtureManifest_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("otp25") << u"manifest.otp25.etf"_s;
    QTest::newRow("otp26") << u"manifest.otp26.etf"_s;
}

void tst_Etf::fixtureManifest()
{
    QFETCH(QString, file);
    QString error;
    const std::optional<EtfTerm> decoded = decodeEtf(fixture(file), &error);
    QVERIFY2(decoded, qPrintable(error));
    const EtfTerm &m = *decoded;
    QVERIFY(m.isMap());
    QVERIFY(m.value(u"module") && m.value(u"module")->isAtom(u"Elixir.Shop.CartStore"));
    QVERIFY(m.value(u"kind") && m.value(u"kind")->isAtom(u"store"));
    QCOMPARE(m.value(u"source")->text(), u"/srv/shop/lib/shop/cart_store.ex"_s);

    const EtfTerm *fields = m.value(u"fields");
    QVERIFY(fields && fields->isList());
    QCOMPARE(fields->items.size(), 4);
    QVERIFY(fields->items.at(0).value(u"name")->isAtom(u"phone"));
    const EtfTerm *opts = fields->items.at(0).value(u"opts");
    QVERIFY(opts);
    QVERIFY(opts->keyword(u"definer")->isAtom(u"Elixir.Musubi.Plugin.Definer"));

    // {:%{}, [line: 300], ...}: a line past 255 is an INTEGER_EXT.
    const EtfTerm *shipping = fields->items.at(2).value(u"type");
    QVERIFY(shipping && shipping->isTuple(3));
    QVERIFY(shipping->items.at(0).isAtom(u"%{}"));
    QCOMPARE(*shipping->items.at(1).keyword(u"line"), integer(300));

    // limit: {:-, [line: 14], [200]}; item_key: & &1.id, whose [1] is a STRING_EXT.
    const EtfTerm *logOpts = fields->items.at(3).value(u"opts");
    QVERIFY(logOpts);
    QCOMPARE(*logOpts->keyword(u"limit"),
             tuple({atom(u"-"_s), list({tuple({atom(u"line"_s), integer(14)})}),
                    list({integer(200)})}));
    QCOMPARE(logOpts->keyword(u"item_key")->toString(),
             u"{:&, [line: 14], [{{:., [line: 14], [{:&, [line: 14], [1]}, :id]}, "
             u"[no_parens: true, line: 14], []}]}"_s);

    const EtfTerm *uploads = m.value(u"uploads");
    QVERIFY(uploads && uploads->items.size() == 1);
    const EtfTerm &upload = uploads->items.at(0);
    QVERIFY(upload.value(u"__struct__")->isAtom(u"Elixir.Musubi.Upload.Config"));
    QCOMPARE(*upload.value(u"max_file_size"), integer(5'000'000'000LL));
    QCOMPARE(*upload.value(u"accept"), list({binary(".png"), binary(".jpg")}));

    const EtfTerm *attrs = m.value(u"attrs");
    QVERIFY(attrs && attrs->items.size() == 2);
    QCOMPARE(*attrs->items.at(1).value(u"default"),
             tuple({atom(u"__musubi_no_default__"_s), atom(u"Elixir.Musubi.DSL.Attr"_s)}));
    QVERIFY(attrs->items.at(1).value(u"required")->isAtom(u"true"));

    const EtfTerm *commands = m.value(u"commands");
    QVERIFY(commands && commands->items.size() == 1);
    const EtfTerm *payload = commands->items.at(0).value(u"payload_fields");
    QVERIFY(payload && payload->items.size() == 1);
    QCOMPARE(*payload->items.at(0).value(u"opts")->keyword(u"doc"), binary("The phone."));
}

void tst_Etf::encodeMatchesErlang_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("utf8Atoms");
    for (const QString &name : decodableFixtures) {
        QTest::addRow("%s.otp25", qPrintable(name)) << name + u".otp25.etf"_s << false;
        QTest::addRow("%s.otp26", qPrintable(name)) << name + u".otp26.etf"_s << true;
    }
}

void tst_Etf::encodeMatchesErlang()
{
    QFETCH(QString, file);
    QFETCH(bool, utf8Atoms);
    const QByteArray data = fixture(file);
    QVERIFY(!data.isEmpty());
    QString error;
    const std::optional<EtfTerm> term = decodeEtf(data, &error);
    QVERIFY2(term, qPrintable(error));
    // The same tags as :erlang.term_to_binary/2, and map pairs in their wire order.
    QCOMPARE(encodeEtf(*term, utf8Atoms), data);
}

void tst_Etf::encodeTags_data()
{
    QTest::addColumn<EtfTerm>("term");
    QTest::addColumn<bool>("utf8Atoms");
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("0") << integer(0) << true << bytes({131, 97, 0});
    QTest::newRow("255") << integer(255) << true << bytes({131, 97, 255});
    QTest::newRow("256") << integer(256) << true << bytes({131, 98, 0, 0, 1, 0});
    QTest::newRow("-1") << integer(-1) << true << bytes({131, 98, 255, 255, 255, 255});
    QTest::newRow("2^31") << integer(2147483648LL) << true
                          << bytes({131, 110, 4, 0, 0, 0, 0, 0x80});
    QTest::newRow("-2^31 - 1") << integer(-2147483649LL) << true
                               << bytes({131, 110, 4, 1, 1, 0, 0, 0x80});
    QTest::newRow("-2^63") << integer(std::numeric_limits<qint64>::min()) << true
                           << bytes({131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0x80});
    QTest::newRow("1.5") << real(1.5) << true << bytes({131, 70, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0});
    QTest::newRow("atom, OTP 25") << atom(u"caf\u00e9"_s) << false
                                  << bytes({131, 100, 0, 4, 'c', 'a', 'f', 0xe9});
    QTest::newRow("atom, OTP 26") << atom(u"caf\u00e9"_s) << true
                                  << bytes({131, 119, 5, 'c', 'a', 'f', 0xc3, 0xa9});
    QTest::newRow("non-Latin-1 atom, OTP 25")
            << atom(u"\u0109"_s) << false << bytes({131, 119, 2, 0xc4, 0x89});
    QByteArray longAtom = bytes({131, 118, 1, 0x2c});
    for (int i = 0; i < 150; ++i)
        longAtom.append("\xc4\x89", 2);
    QTest::newRow("300-byte atom") << atom(QString(150, u'\u0109')) << true << longAtom;
    QTest::newRow("binary") << binary("ab") << true << bytes({131, 109, 0, 0, 0, 2, 'a', 'b'});
    QTest::newRow("[]") << list() << true << bytes({131, 106});
    QTest::newRow("[1, 200]") << list({integer(1), integer(200)}) << true
                              << bytes({131, 107, 0, 2, 1, 200});
    QTest::newRow("[1, 256]") << list({integer(1), integer(256)}) << true
                              << bytes({131, 108, 0, 0, 0, 2, 97, 1, 98, 0, 0, 1, 0, 106});
    QTest::newRow("[-1]") << list({integer(-1)}) << true
                          << bytes({131, 108, 0, 0, 0, 1, 98, 255, 255, 255, 255, 106});
    QTest::newRow("{}") << tuple() << true << bytes({131, 104, 0});
    QByteArray tuple256 = bytes({131, 105, 0, 0, 1, 0});
    QList<EtfTerm> items;
    for (int i = 0; i < 256; ++i) {
        items.append(integer(1));
        tuple256.append("\x61\x01", 2);
    }
    QTest::newRow("256-tuple") << tuple(items) << true << tuple256;
    QTest::newRow("%{a: 1}") << map({{atom(u"a"_s), integer(1)}}) << false
                             << bytes({131, 116, 0, 0, 0, 1, 100, 0, 1, 'a', 97, 1});
}

void tst_Etf::encodeTags()
{
    QFETCH(EtfTerm, term);
    QFETCH(bool, utf8Atoms);
    QFETCH(QByteArray, data);
    QCOMPARE(encodeEtf(term, utf8Atoms), data);
    const std::optional<EtfTerm> back = decodeEtf(data);
    QVERIFY(back);
    QCOMPARE(*back, term);
}

void tst_Etf::roundTrip_data()
{
    QTest::addColumn<EtfTerm>("term");

    for (const QString &name : decodableFixtures) {
        for (const char *otp : {"otp25", "otp26"}) {
            const std::optional<EtfTerm> term =
                    decodeEtf(fixture(name + u'.' + QString::fromLatin1(otp) + u".etf"_s));
            QVERIFY(term);
            QTest::addRow("%s.%s", qPrintable(name), otp) << *term;
        }
    }
    QTest::newRow("integers") << list({integer(std::numeric_limits<qint64>::min()),
                                       integer(std::numeric_limits<qint64>::max()),
                                       integer(-2147483649LL), integer(-2147483648LL),
                                       integer(2147483647), integer(2147483648LL), integer(0),
                                       integer(-256)});
    QTest::newRow("floats") << list({real(-0.0), real(1e300), real(-5e-324), real(0.1)});
    QTest::newRow("atoms") << list({atom(QString()), atom(u"caf\u00e9"_s), atom(u"\u0109"_s),
                                    atom(QString(255, u'\u00ff')), atom(QString(255, u'\u0109')),
                                    atom(u"\U0001F600"_s.repeated(255))});
    QList<EtfTerm> bytes65535(65535, integer(255));
    QTest::newRow("65535 bytes (STRING_EXT)") << list(bytes65535);
    bytes65535.append(integer(1));
    QTest::newRow("65536 bytes (LIST_EXT)") << list(bytes65535);
    QTest::newRow("maps") << map({{map(), map({{list(), tuple()}})},
                                  {binary("x"), real(2.5)},
                                  {atom(u"a"_s), list({integer(1), atom(u"nil"_s)})}});
}

void tst_Etf::roundTrip()
{
    QFETCH(EtfTerm, term);
    for (bool utf8Atoms : {true, false}) {
        const QByteArray data = encodeEtf(term, utf8Atoms);
        QString error;
        const std::optional<EtfTerm> back = decodeEtf(data, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(*back, term);
        // Encoding is deterministic.
        QCOMPARE(encodeEtf(*back, utf8Atoms), data);
    }
}

void tst_Etf::mapEqualityIgnoresOrder()
{
    // %{a: 1, b: 2} in both orders.
    const QByteArray ab =
            bytes({131, 116, 0, 0, 0, 2, 100, 0, 1, 'a', 97, 1, 100, 0, 1, 'b', 97, 2});
    const QByteArray ba =
            bytes({131, 116, 0, 0, 0, 2, 100, 0, 1, 'b', 97, 2, 100, 0, 1, 'a', 97, 1});
    const std::optional<EtfTerm> x = decodeEtf(ab);
    const std::optional<EtfTerm> y = decodeEtf(ba);
    QVERIFY(x && y);
    QVERIFY(x->pairs.at(0).first.isAtom(u"a"));
    QVERIFY(y->pairs.at(0).first.isAtom(u"b"));
    QCOMPARE(*x, *y);
    QVERIFY(!(*x != *y));

    // Nested, in a list.
    QCOMPARE(
            list({map({{integer(1), map({{atom(u"k"_s), integer(1)}, {atom(u"j"_s), list()}})},
                       {integer(2), integer(3)}})}),
            list({map({{integer(2), integer(3)},
                       {integer(1), map({{atom(u"j"_s), list()}, {atom(u"k"_s), integer(1)}})}})}));

    // A different value, a different key, a missing pair.
    const EtfTerm a = map({{atom(u"a"_s), integer(1)}, {atom(u"b"_s), integer(2)}});
    QVERIFY(a != map({{atom(u"b"_s), integer(2)}, {atom(u"a"_s), integer(3)}}));
    QVERIFY(a != map({{atom(u"b"_s), integer(2)}, {atom(u"c"_s), integer(1)}}));
    QVERIFY(a != map({{atom(u"a"_s), integer(1)}}));
    QVERIFY(map({{atom(u"a"_s), integer(1)}}) != a);
    // Pairs count as a multiset: duplicates are not absorbed.
    QVERIFY(map({{integer(1), integer(1)}, {integer(1), integer(1)}, {integer(2), integer(2)}})
            != map({{integer(1), integer(1)}, {integer(2), integer(2)}, {integer(2), integer(2)}}));
    // A map is not a keyword list.
    QVERIFY(map({{atom(u"a"_s), integer(1)}}) != list({tuple({atom(u"a"_s), integer(1)})}));
}

void tst_Etf::equalityByValue()
{
    QCOMPARE(real(1.5), *decodeEtf(bytes({131, 70, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0})));
    QCOMPARE(real(0.0), real(-0.0));
    QVERIFY(real(1.0) != integer(1));
    QVERIFY(real(1.5) != real(1.25));
    QVERIFY(integer(1) != integer(2));
    QVERIFY(atom(u"a"_s) != binary("a"));
    QVERIFY(list({integer(1)}) != tuple({integer(1)}));
    QVERIFY(list({integer(1), integer(2)}) != list({integer(2), integer(1)}));
    QVERIFY(list() != map());
    QVERIFY(list() != tuple());
    // SMALL_INTEGER_EXT, INTEGER_EXT and SMALL_BIG_EXT of 7 are the same integer.
    QCOMPARE(*decodeEtf(bytes({131, 97, 7})), *decodeEtf(bytes({131, 98, 0, 0, 0, 7})));
    QCOMPARE(*decodeEtf(bytes({131, 97, 7})), *decodeEtf(bytes({131, 110, 1, 0, 7})));
    // ATOM_EXT, SMALL_ATOM_EXT and the UTF-8 tags of café are the same atom.
    const EtfTerm cafe = *decodeEtf(bytes({131, 100, 0, 4, 'c', 'a', 'f', 0xe9}));
    QCOMPARE(cafe, *decodeEtf(bytes({131, 115, 4, 'c', 'a', 'f', 0xe9})));
    QCOMPARE(cafe, *decodeEtf(bytes({131, 119, 5, 'c', 'a', 'f', 0xc3, 0xa9})));
    QCOMPARE(cafe, *decodeEtf(bytes({131, 118, 0, 5, 'c', 'a', 'f', 0xc3, 0xa9})));
}

void tst_Etf::stringExtIsListOfIntegers()
{
    const std::optional<EtfTerm> string = decodeEtf(bytes({131, 107, 0, 3, 1, 200, 0}));
    QVERIFY(string);
    QVERIFY(string->isList());
    QCOMPARE(string->items.size(), 3);
    for (const EtfTerm &item : string->items)
        QVERIFY(item.isInteger());
    QCOMPARE(string->items.at(1).integer, qint64(200));
    // The same list as LIST_EXT.
    QCOMPARE(*string, *decodeEtf(bytes({131, 108, 0, 0, 0, 3, 97, 1, 97, 200, 97, 0, 106})));
    QCOMPARE(string->toString(), u"[1, 200, 0]"_s);
    // Not a binary, not text.
    QVERIFY(*string != binary(QByteArray("\x01\xc8\x00", 3)));
}

void tst_Etf::truncatedPrefixes_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &name : decodableFixtures) {
        QTest::addRow("%s.otp25", qPrintable(name)) << name + u".otp25.etf"_s;
        QTest::addRow("%s.otp26", qPrintable(name)) << name + u".otp26.etf"_s;
    }
}

void tst_Etf::truncatedPrefixes()
{
    QFETCH(QString, file);
    const QByteArray data = fixture(file);
    QVERIFY(data.size() > 100);
    QVERIFY(decodeEtf(data));
    static const QRegularExpression shape(u"^offset (\\d+): [^\\n]+$"_s);
    for (qsizetype length = 0; length < data.size(); ++length) {
        // A copy of exactly this length: reading past it is a sanitizer report.
        const QByteArray prefix(data.constData(), length);
        QString error;
        const std::optional<EtfTerm> term = decodeEtf(prefix, &error);
        QVERIFY2(!term, qPrintable(u"prefix of %1 bytes decoded"_s.arg(length)));
        const QRegularExpressionMatch match = shape.match(error);
        QVERIFY2(match.hasMatch(), qPrintable(error));
        // The reported offset lies within the prefix (at its end, for a cut term).
        QVERIFY2(match.captured(1).toLongLong() <= length, qPrintable(error));
    }
}

void tst_Etf::hostileCountFailsFast_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");
    QTest::newRow("LIST_EXT 0xFFFFFFFF, 5 bytes left")
            << bytes({131, 108, 0xff, 0xff, 0xff, 0xff, 97, 1, 97, 2, 106})
            << u"offset 1: truncated LIST_EXT (announces 4294967295 elements, 5 bytes remain)"_s;
    // Nested below a list that is itself plausible.
    QTest::newRow("LIST_EXT in a LIST_EXT")
            << bytes({131, 108, 0, 0, 0, 1, 108, 0xff, 0xff, 0xff, 0xff, 106, 106})
            << u"offset 6: truncated LIST_EXT (announces 4294967295 elements, 2 bytes remain)"_s;
    QTest::newRow("MAP_EXT 0xFFFFFFFF")
            << bytes({131, 116, 0xff, 0xff, 0xff, 0xff, 97, 1})
            << u"offset 1: truncated MAP_EXT (announces 4294967295 pairs, 2 bytes remain)"_s;
    // As many elements as there are bytes, but more than EtfLimits::maxTerms: refused at
    // the count (offset 1), not after 4 million elements were reserved and decoded.
    QByteArray many = bytes({131, 108, 0x00, 0x3d, 0x09, 0x01}); // 4'000'001
    many.append(QByteArray(4'000'002, char(106)));
    QTest::newRow("LIST_EXT beyond the term limit")
            << many << u"offset 1: more than 4000000 terms"_s;
}

void tst_Etf::hostileCountFailsFast()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    // Reserving 2^32 elements of ~120 bytes would abort (or take 500 GB): failing here
    // with this message means the count was checked against the bytes first.
    QString actual;
    QVERIFY(!decodeEtf(data, &actual));
    QCOMPARE(actual, error);
}

void tst_Etf::depthBomb_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("error");
    constexpr int n = 100'000;

    // [[[[...]]]]: 100k nested one-element lists.
    QByteArray lists(1, char(131));
    for (int i = 0; i < n; ++i)
        lists.append("\x6c\x00\x00\x00\x01", 5);
    lists.append(QByteArray(n + 1, char(106)));
    QTest::newRow("lists") << lists
                           << u"offset 2561: nesting deeper than 512 levels"_s; // 1 + 512 * 5

    QByteArray tuples(1, char(131));
    for (int i = 0; i < n; ++i)
        tuples.append("\x68\x01", 2);
    tuples.append(char(106));
    QTest::newRow("tuples") << tuples << u"offset 1025: nesting deeper than 512 levels"_s;

    // %{[] => %{[] => ...}}
    QByteArray maps(1, char(131));
    for (int i = 0; i < n; ++i)
        maps.append("\x74\x00\x00\x00\x01\x6a", 6);
    maps.append(char(106));
    QTest::newRow("maps") << maps << u"offset 3073: nesting deeper than 512 levels"_s;

    // A bomb whose bytes are truncated: the depth limit still comes first.
    QByteArray cut(1, char(131));
    for (int i = 0; i < n; ++i)
        cut.append("\x68\x01", 2);
    QTest::newRow("tuples, no leaf") << cut << u"offset 1025: nesting deeper than 512 levels"_s;
}

void tst_Etf::depthBomb()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!decodeEtf(data, &actual));
    QCOMPARE(actual, error);
}

void tst_Etf::depthLimit()
{
    const auto nested = [](int depth) {
        QByteArray data(1, char(131));
        for (int i = 0; i < depth; ++i)
            data.append("\x68\x01", 2);
        data.append(char(106));
        return data;
    };
    QString error;
    QVERIFY2(decodeEtf(nested(512), &error), qPrintable(error));
    QVERIFY(!decodeEtf(nested(513), &error));
    QCOMPARE(error, u"offset 1025: nesting deeper than 512 levels"_s);

    EtfLimits limits;
    limits.maxDepth = 3;
    QVERIFY2(decodeEtf(nested(3), &error, limits), qPrintable(error));
    QVERIFY(!decodeEtf(nested(4), &error, limits));
    QCOMPARE(error, u"offset 7: nesting deeper than 3 levels"_s);
    // Scalars and [] are not nesting.
    limits.maxDepth = 0;
    QVERIFY(decodeEtf(bytes({131, 106}), &error, limits));
    QVERIFY(decodeEtf(bytes({131, 97, 1}), &error, limits));
    QVERIFY(!decodeEtf(bytes({131, 104, 0}), &error, limits));
    QCOMPARE(error, u"offset 1: nesting deeper than 0 levels"_s);

    // The deepest term the decoder accepts encodes and renders too.
    const std::optional<EtfTerm> deep = decodeEtf(nested(512));
    QVERIFY(deep);
    QCOMPARE(encodeEtf(*deep), nested(512));
    QVERIFY(deep->toString().startsWith(u"{{{{"_s));
}

void tst_Etf::termLimit()
{
    EtfLimits limits;
    limits.maxTerms = 5;
    QString error;
    // [1, 2, 3, 4]: five terms.
    QVERIFY2(decodeEtf(bytes({131, 108, 0, 0, 0, 4, 97, 1, 97, 2, 97, 3, 97, 4, 106}), &error,
                       limits),
             qPrintable(error));
    QVERIFY(!decodeEtf(bytes({131, 108, 0, 0, 0, 5, 97, 1, 97, 2, 97, 3, 97, 4, 97, 5, 106}),
                       &error, limits));
    QCOMPARE(error, u"offset 1: more than 5 terms"_s);
    // A STRING_EXT's bytes are terms too.
    QVERIFY(decodeEtf(bytes({131, 107, 0, 4, 1, 2, 3, 4}), &error, limits));
    QVERIFY(!decodeEtf(bytes({131, 107, 0, 5, 1, 2, 3, 4, 5}), &error, limits));
    QCOMPARE(error, u"offset 1: more than 5 terms"_s);
    // A map pair is two.
    QVERIFY(!decodeEtf(bytes({131, 116, 0, 0, 0, 3, 97, 1, 97, 1, 97, 2, 97, 2, 97, 3, 97, 3}),
                       &error, limits));
    QCOMPARE(error, u"offset 1: more than 5 terms"_s);
    // Counted across siblings: {[1, 2], [3, 4]} is seven.
    QVERIFY(!decodeEtf(bytes({131, 104, 2, 107, 0, 2, 1, 2, 107, 0, 2, 3, 4}), &error, limits));
    QCOMPARE(error, u"offset 8: more than 5 terms"_s);
}

void tst_Etf::lookups()
{
    const EtfTerm m = map(
            {{binary("a"), integer(0)},
             {atom(u"a"_s), integer(1)},
             {atom(u"b"_s),
              list({tuple({atom(u"line"_s), integer(3)}), tuple({atom(u"x"_s)}),
                    tuple({binary("col"), integer(4)}), tuple({atom(u"line"_s), integer(5)})})}});
    QVERIFY(m.value(u"a"));
    QCOMPARE(*m.value(u"a"), integer(1));
    QVERIFY(!m.value(u"c"));
    QVERIFY(!m.value(u"x"));
    const EtfTerm *keywords = m.value(u"b");
    QVERIFY(keywords);
    QVERIFY(!keywords->value(u"line")); // not a map
    QCOMPARE(*keywords->keyword(u"line"), integer(3)); // the first
    QVERIFY(!keywords->keyword(u"x")); // a 1-tuple is no pair
    QVERIFY(!keywords->keyword(u"col")); // binary key
    QVERIFY(!m.keyword(u"a")); // not a list
    QVERIFY(!integer(1).keyword(u"a"));
    QVERIFY(atom(u"nil"_s).isNil());
    QVERIFY(!list().isNil());
    QVERIFY(!binary("nil").isNil());
}

void tst_Etf::toStringAst()
{
    // Code.string_to_quoted!("String.t() | nil", line: 1), from a real manifest.
    const std::optional<EtfTerm> manifest = decodeEtf(fixture(u"manifest.otp26.etf"_s));
    QVERIFY(manifest);
    const EtfTerm *fields = manifest->value(u"fields");
    QVERIFY(fields && fields->items.size() == 4);
    QCOMPARE(fields->items.at(0).value(u"type")->toString(),
             u"{:|, [line: 1], [{{:., [line: 1], [{:__aliases__, [line: 1], [:String]}, :t]}, "
             u"[line: 1], []}, nil]}"_s);
    QCOMPARE(fields->items.at(2).value(u"type")->toString(),
             u"{:%{}, [line: 300], [speed: {:|, [line: 300], [:standard, :express]}, "
             u"gift: {:boolean, [line: 300], []}]}"_s);
    QCOMPARE(manifest->value(u"uploads")->toString(),
             u"[%{__struct__: :\"Elixir.Musubi.Upload.Config\", accept: [\".png\", \".jpg\"], "
             u"chunk_size: 64000, chunk_timeout: 10000, max_entries: 1, "
             u"max_file_size: 5000000000, name: :avatar}]"_s);
}

void tst_Etf::toString_data()
{
    QTest::addColumn<EtfTerm>("term");
    QTest::addColumn<QString>("text");

    QTest::newRow("integer") << integer(-42) << u"-42"_s;
    QTest::newRow("int64 min") << integer(std::numeric_limits<qint64>::min())
                               << u"-9223372036854775808"_s;
    QTest::newRow("float 1.5") << real(1.5) << u"1.5"_s;
    QTest::newRow("float 1.0") << real(1.0) << u"1.0"_s;
    QTest::newRow("float 1.0e20") << real(1.0e20) << u"1.0e20"_s;
    QTest::newRow("float 1.5e-7") << real(1.5e-7) << u"1.5e-7"_s;
    QTest::newRow("atom") << atom(u"ok"_s) << u":ok"_s;
    QTest::newRow("atom with ?") << atom(u"valid?"_s) << u":valid?"_s;
    QTest::newRow("atom Latin-1") << atom(u"caf\u00e9"_s) << u":caf\u00e9"_s;
    QTest::newRow("nil") << atom(u"nil"_s) << u"nil"_s;
    QTest::newRow("true") << atom(u"true"_s) << u"true"_s;
    QTest::newRow("module atom") << atom(u"Elixir.Shop.Cart"_s) << u":\"Elixir.Shop.Cart\""_s;
    QTest::newRow("operator |") << atom(u"|"_s) << u":|"_s;
    QTest::newRow("operator %{}") << atom(u"%{}"_s) << u":%{}"_s;
    QTest::newRow("dashed atom") << atom(u"needs-review"_s) << u":\"needs-review\""_s;
    QTest::newRow("empty atom") << atom(QString()) << u":\"\""_s;
    QTest::newRow("atom with a quote") << atom(u"a\"b"_s) << u":\"a\\\"b\""_s;
    QTest::newRow("binary") << binary("h\xc3\xa9llo") << u"\"h\u00e9llo\""_s;
    QTest::newRow("binary escapes")
            << binary("a\"b\\c\n\t\x01#{x}#") << u"\"a\\\"b\\\\c\\n\\t\\x01\\#{x}#\""_s;
    QTest::newRow("binary not UTF-8") << binary(QByteArray("\x00\xff", 2)) << u"<<0, 255>>"_s;
    QTest::newRow("empty binary") << binary(QByteArray()) << u"\"\""_s;
    QTest::newRow("binary with a leading U+FEFF") << binary("\xef\xbb\xbf"
                                                            "a")
                                                  << u"\"\ufeffa\""_s;
    QTest::newRow("[]") << list() << u"[]"_s;
    QTest::newRow("list") << list({integer(1), atom(u"a"_s), binary("b")}) << u"[1, :a, \"b\"]"_s;
    QTest::newRow("keyword list") << list(
            {tuple({atom(u"line"_s), integer(1)}), tuple({atom(u"my key"_s), atom(u"nil"_s)})})
                                  << u"[line: 1, \"my key\": nil]"_s;
    QTest::newRow("not quite keywords")
            << list({tuple({atom(u"line"_s), integer(1)}), tuple({integer(1), integer(2)})})
            << u"[{:line, 1}, {1, 2}]"_s;
    QTest::newRow("{}") << tuple() << u"{}"_s;
    QTest::newRow("tuple") << tuple({atom(u"|"_s), list(), list({atom(u"a"_s), atom(u"b"_s)})})
                           << u"{:|, [], [:a, :b]}"_s;
    QTest::newRow("%{}") << map() << u"%{}"_s;
    QTest::newRow("map, atom keys")
            << map({{atom(u"module"_s), atom(u"Elixir.Shop.Cart"_s)}, {atom(u"fields"_s), list()}})
            << u"%{module: :\"Elixir.Shop.Cart\", fields: []}"_s;
    QTest::newRow("map, other keys") << map({{binary("k"), integer(1)}, {atom(u"a"_s), integer(2)}})
                                     << u"%{\"k\" => 1, :a => 2}"_s;
}

void tst_Etf::toString()
{
    QFETCH(EtfTerm, term);
    QFETCH(QString, text);
    QCOMPARE(term.toString(), text);
}

void tst_Etf::toStringIsBounded_data()
{
    QTest::addColumn<EtfTerm>("term");
    QTest::addColumn<QString>("prefix");

    QTest::newRow("100k integers")
            << list(QList<EtfTerm>(100'000, integer(123456))) << u"[123456, 123456, "_s;
    QTest::newRow("16 MB binary") << binary(QByteArray(16 << 20, 'x')) << u"\"xxxx"_s;
    QTest::newRow("16 MB raw binary") << binary(QByteArray(16 << 20, '\xff')) << u"<<255, 255, "_s;
    QTest::newRow("16 MB of escapes") << binary(QByteArray(16 << 20, '\n')) << u"\"\\n\\n"_s;
    QList<std::pair<EtfTerm, EtfTerm>> pairs;
    for (int i = 0; i < 10'000; ++i)
        pairs.append({atom(QString(255, u'k')), binary(QByteArray(1000, 'v'))});
    QTest::newRow("big map") << map(pairs) << u"%{kkkk"_s;
    QList<EtfTerm> wide;
    for (int i = 0; i < 2000; ++i)
        wide.append(tuple({list({integer(i)})}));
    QTest::newRow("2000 small tuples") << list(wide) << u"[{[0]}, {[1]}, "_s;
}

void tst_Etf::toStringDepth()
{
    // Built by hand, deeper than decodeEtf() allows: the rendering stops descending at
    // the decoder's depth limit, so a deep term cannot exhaust the stack.
    EtfTerm deep = list({integer(1)});
    for (int i = 0; i < 3000; ++i)
        deep = tuple({std::move(deep)});
    QCOMPARE(deep.toString(), QString(512, u'{') + u'…' + QString(512, u'}'));
    // As deep as a decoded term gets: rendered in full.
    QByteArray data(1, char(131));
    for (int i = 0; i < 511; ++i)
        data.append("\x68\x01", 2);
    data.append("\x6b\x00\x01\x07", 4); // [7], a STRING_EXT: the 512th container
    const std::optional<EtfTerm> decoded = decodeEtf(data);
    QVERIFY(decoded);
    QCOMPARE(decoded->toString(), QString(511, u'{') + u"[7]"_s + QString(511, u'}'));
    // Empty containers are leaves.
    EtfTerm empties = map();
    for (int i = 0; i < 511; ++i)
        empties = list({std::move(empties)});
    QCOMPARE(empties.toString(), QString(511, u'[') + u"%{}"_s + QString(511, u']'));
}

void tst_Etf::toStringIsBounded()
{
    QFETCH(EtfTerm, term);
    QFETCH(QString, prefix);
    const QString text = term.toString();
    QVERIFY(text.startsWith(prefix));
    QVERIFY2(text.size() <= 4001, qPrintable(QString::number(text.size())));
    QVERIFY(text.size() >= 3900);
    QVERIFY(text.endsWith(u'…'));
}

QTEST_GUILESS_MAIN(tst_Etf)
#include "tst_etf.moc"

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <phoenixmessage.h>

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;

class tst_PhoenixMessage : public QObject
{
    Q_OBJECT
private slots:
    void encodeText_data();
    void encodeText();
    void decodeText_data();
    void decodeText();
    void decodeTextMalformed_data();
    void decodeTextMalformed();
    void textRoundTrip();
    void encodeBinaryPush();
    void encodeBinaryPushRefusesLongFields_data();
    void encodeBinaryPushRefusesLongFields();
    void decodeBinary_data();
    void decodeBinary();
    void decodeBinaryMalformed_data();
    void decodeBinaryMalformed();
    void decodeBinaryPushRoundTrip();
    void decodeBinaryPushMalformed_data();
    void decodeBinaryPushMalformed();
};

void tst_PhoenixMessage::encodeText_data()
{
    QTest::addColumn<PhoenixMessage>("message");
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("join")
            << PhoenixMessage{u"1"_s, u"1"_s, u"room:1"_s, u"phx_join"_s, QJsonObject{{u"a"_s, 1}},
                              {},     false}
            << QByteArray(R"(["1","1","room:1","phx_join",{"a":1}])");
    QTest::newRow("heartbeat: null join_ref")
            << PhoenixMessage{QString(),     u"7"_s, u"phoenix"_s, u"heartbeat"_s,
                              QJsonObject(), {},     false}
            << QByteArray(R"([null,"7","phoenix","heartbeat",{}])");
    QTest::newRow("server push: null refs")
            << PhoenixMessage{QString(), QString(), u"t"_s, u"patch"_s, QJsonArray{1, 2}, {}, false}
            << QByteArray(R"([null,null,"t","patch",[1,2]])");
    QTest::newRow("undefined payload becomes {}")
            << PhoenixMessage{u"1"_s, u"2"_s, u"t"_s, u"e"_s, QJsonValue(QJsonValue::Undefined),
                              {},     false}
            << QByteArray(R"(["1","2","t","e",{}])");
    QTest::newRow("unicode topic")
            << PhoenixMessage{u"1"_s, u"2"_s, u"t\u00e9"_s, u"e"_s, 5, {}, false}
            << QByteArray("[\"1\",\"2\",\"t\xc3\xa9\",\"e\",5]");
}

void tst_PhoenixMessage::encodeText()
{
    QFETCH(PhoenixMessage, message);
    QFETCH(QByteArray, frame);
    QCOMPARE(PhoenixSerializer::encodeText(message), frame);
}

void tst_PhoenixMessage::decodeText_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<PhoenixMessage>("expected");
    QTest::newRow("reply")
            << QByteArray(R"(["1","2","t","phx_reply",{"status":"ok","response":{}}])")
            << PhoenixMessage{u"1"_s,
                              u"2"_s,
                              u"t"_s,
                              u"phx_reply"_s,
                              QJsonObject{{u"status"_s, u"ok"_s}, {u"response"_s, QJsonObject()}},
                              {},
                              false};
    QTest::newRow("null refs")
            << QByteArray(R"([null,null,"t","patch",{"x":1}])")
            << PhoenixMessage{QString(), QString(), u"t"_s, u"patch"_s, QJsonObject{{u"x"_s, 1}},
                              {},        false};
    QTest::newRow("integer refs tolerated")
            << QByteArray(R"([3,4,"t","e",null])")
            << PhoenixMessage{u"3"_s, u"4"_s, u"t"_s, u"e"_s, QJsonValue(QJsonValue::Null),
                              {},     false};
    QTest::newRow("non-object payload")
            << QByteArray(R"([null,"9","t","e","text"])")
            << PhoenixMessage{QString(), u"9"_s, u"t"_s, u"e"_s, u"text"_s, {}, false};
}

void tst_PhoenixMessage::decodeText()
{
    QFETCH(QByteArray, frame);
    QFETCH(PhoenixMessage, expected);
    QString error;
    const auto message = PhoenixSerializer::decodeText(frame, &error);
    QVERIFY2(message, qPrintable(error));
    QCOMPARE(*message, expected);
    QCOMPARE(message->joinRef.isNull(), expected.joinRef.isNull());
    QCOMPARE(message->ref.isNull(), expected.ref.isNull());
}

void tst_PhoenixMessage::decodeTextMalformed_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("empty") << QByteArray() << u"not JSON"_s;
    QTest::newRow("not JSON") << QByteArray("hello") << u"not JSON"_s;
    QTest::newRow("truncated JSON") << QByteArray(R"(["1","1","t")") << u"not JSON"_s;
    QTest::newRow("object") << QByteArray(R"({"a":1})") << u"not a JSON array"_s;
    QTest::newRow("4 elements") << QByteArray(R"(["1","1","t","e"])") << u"4 elements"_s;
    QTest::newRow("6 elements") << QByteArray(R"(["1","1","t","e",{},1])") << u"6 elements"_s;
    QTest::newRow("0 elements") << QByteArray("[]") << u"0 elements"_s;
    QTest::newRow("join_ref bool") << QByteArray(R"([true,"1","t","e",{}])") << u"join_ref"_s;
    QTest::newRow("join_ref object") << QByteArray(R"([{},"1","t","e",{}])") << u"join_ref"_s;
    QTest::newRow("join_ref negative") << QByteArray(R"([-1,"1","t","e",{}])") << u"join_ref"_s;
    QTest::newRow("ref fraction") << QByteArray(R"(["1",1.5,"t","e",{}])") << u"ref is"_s;
    QTest::newRow("ref array") << QByteArray(R"(["1",[],"t","e",{}])") << u"ref is"_s;
    QTest::newRow("topic null") << QByteArray(R"(["1","1",null,"e",{}])") << u"topic"_s;
    QTest::newRow("topic number") << QByteArray(R"(["1","1",5,"e",{}])") << u"topic"_s;
    QTest::newRow("event null") << QByteArray(R"(["1","1","t",null,{}])") << u"event"_s;
    QTest::newRow("event object") << QByteArray(R"(["1","1","t",{},{}])") << u"event"_s;
}

void tst_PhoenixMessage::decodeTextMalformed()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, errorContains);
    QString error;
    QVERIFY(!PhoenixSerializer::decodeText(frame, &error));
    QVERIFY2(error.contains(errorContains), qPrintable(error));
    QVERIFY(!PhoenixSerializer::decodeText(frame)); // null error pointer is fine
}

void tst_PhoenixMessage::textRoundTrip()
{
    const PhoenixMessage m{u"12"_s,
                           u"13"_s,
                           u"musubi:connection:A:b"_s,
                           u"command"_s,
                           QJsonObject{{u"name"_s, u"x"_s}, {u"payload"_s, QJsonArray{1, u"y"_s}}},
                           {},
                           false};
    QCOMPARE(PhoenixSerializer::decodeText(PhoenixSerializer::encodeText(m)).value(), m);
}

void tst_PhoenixMessage::encodeBinaryPush()
{
    PhoenixMessage m{u"1"_s, u"23"_s, u"up:x"_s, u"chunk"_s, {}, QByteArray("\x00\x01\xff", 3),
                     true};
    QString error;
    const auto frame = PhoenixSerializer::encodeBinaryPush(m, &error);
    QVERIFY2(frame, qPrintable(error));
    QByteArray expected;
    expected.append(char(0)).append(char(1)).append(char(2)).append(char(4)).append(char(5));
    expected.append("123up:xchunk");
    expected.append(QByteArray("\x00\x01\xff", 3));
    QCOMPARE(*frame, expected);
}

void tst_PhoenixMessage::encodeBinaryPushRefusesLongFields_data()
{
    QTest::addColumn<int>("field");
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("ok");
    const char *names[] = {"join_ref", "ref", "topic", "event"};
    for (int f = 0; f < 4; ++f) {
        QTest::addRow("%s 255", names[f]) << f << 255 << true;
        QTest::addRow("%s 256", names[f]) << f << 256 << false;
    }
    QTest::newRow("multibyte topic: 128 x 2 bytes") << 2 << -128 << false;
}

void tst_PhoenixMessage::encodeBinaryPushRefusesLongFields()
{
    QFETCH(int, field);
    QFETCH(int, length);
    QFETCH(bool, ok);
    PhoenixMessage m{u"1"_s, u"2"_s, u"t"_s, u"e"_s, {}, QByteArray("x"), true};
    const QString value = length >= 0 ? QString(length, u'a') : QString(-length, u'\u00e9');
    QString *fields[] = {&m.joinRef, &m.ref, &m.topic, &m.event};
    *fields[field] = value;
    QString error;
    const auto frame = PhoenixSerializer::encodeBinaryPush(m, &error);
    QCOMPARE(bool(frame), ok);
    if (!ok) {
        const char *names[] = {"join_ref", "ref", "topic", "event"};
        QVERIFY2(error.contains(QLatin1String(names[field])), qPrintable(error));
        QVERIFY2(error.contains(u"255"_s), qPrintable(error));
    }
}

void tst_PhoenixMessage::decodeBinary_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<PhoenixMessage>("expected");
    {
        QByteArray f;
        f.append(char(0)).append(char(1)).append(char(1)).append(char(2));
        f.append("1tev").append("raw");
        QTest::newRow("kind 0 push")
                << f
                << PhoenixMessage{u"1"_s, QString(), u"t"_s, u"ev"_s, {}, QByteArray("raw"), true};
    }
    {
        QByteArray f;
        f.append(char(1)).append(char(1)).append(char(2)).append(char(1)).append(char(2));
        f.append("112tok").append(QByteArray("\x01\x02", 2));
        QTest::newRow("kind 1 reply")
                << f
                << PhoenixMessage{
                           u"1"_s,
                           u"12"_s,
                           u"t"_s,
                           u"phx_reply"_s,
                           QJsonObject{{u"status"_s, u"ok"_s}, {u"response"_s, QJsonValue::Null}},
                           QByteArray("\x01\x02", 2),
                           true};
    }
    {
        QByteArray f;
        f.append(char(2)).append(char(2)).append(char(1));
        f.append("tte");
        QTest::newRow("kind 2 broadcast, empty payload")
                << f
                << PhoenixMessage{QString(), QString(), u"tt"_s, u"e"_s, {}, QByteArray(), true};
    }
}

void tst_PhoenixMessage::decodeBinary()
{
    QFETCH(QByteArray, frame);
    QFETCH(PhoenixMessage, expected);
    QString error;
    const auto message = PhoenixSerializer::decodeBinary(frame, &error);
    QVERIFY2(message, qPrintable(error));
    QCOMPARE(*message, expected);
}

void tst_PhoenixMessage::decodeBinaryMalformed_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("unknown kind") << QByteArray("\x07\x00\x00", 3) << u"kind 7"_s;
    QTest::newRow("push: header cut") << QByteArray("\x00\x01", 2) << u"shorter than its header"_s;
    QTest::newRow("reply: header cut")
            << QByteArray("\x01\x01\x01\x01", 4) << u"shorter than its header"_s;
    QTest::newRow("broadcast: field cut") << QByteArray("\x02\x05\x01tt", 5) << u"truncated"_s;
    QTest::newRow("reply: event cut") << QByteArray("\x01\x00\x00\x00\x09ok", 7) << u"truncated"_s;
}

void tst_PhoenixMessage::decodeBinaryMalformed()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, errorContains);
    QString error;
    QVERIFY(!PhoenixSerializer::decodeBinary(frame, &error));
    QVERIFY2(error.contains(errorContains), qPrintable(error));
}

void tst_PhoenixMessage::decodeBinaryPushRoundTrip()
{
    const PhoenixMessage m{u"4"_s,     u"17"_s, u"musubi_upload:e1"_s,
                           u"chunk"_s, {},      QByteArray("\x00payload\xff", 9),
                           true};
    QString error;
    const auto decoded = PhoenixSerializer::decodeBinaryPush(
            PhoenixSerializer::encodeBinaryPush(m).value(), &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(*decoded, m);
}

void tst_PhoenixMessage::decodeBinaryPushMalformed_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("errorContains");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("reply kind") << QByteArray("\x01\x00\x00\x00\x00", 5) << u"not a client push"_s;
    QTest::newRow("header cut") << QByteArray("\x00\x01\x01\x01", 4) << u"shorter"_s;
    QTest::newRow("fields cut") << QByteArray("\x00\x01\x01\x01\x05"
                                              "12t",
                                              8)
                                << u"truncated"_s;
}

void tst_PhoenixMessage::decodeBinaryPushMalformed()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, errorContains);
    QString error;
    QVERIFY(!PhoenixSerializer::decodeBinaryPush(frame, &error));
    QVERIFY2(error.contains(errorContains), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_PhoenixMessage)
#include "tst_phoenixmessage.moc"

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include <musubitestdiff_p.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonValue parse(const char *json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json));
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

// A small RFC 6902 applier (add/remove/replace) used as an oracle: applying
// the diff of (a, b) to a must give b.
bool applyAt(QJsonValue &node, QStringList tokens, const QJsonObject &op)
{
    const QString kind = op.value(u"op"_s).toString();
    if (tokens.isEmpty()) {
        if (kind != u"replace"_s)
            return false;
        node = op.value(u"value"_s);
        return true;
    }
    const QString token = tokens.takeFirst();
    if (node.isObject()) {
        QJsonObject object = node.toObject();
        if (tokens.isEmpty()) {
            if (kind == u"remove"_s) {
                if (!object.contains(token))
                    return false;
                object.remove(token);
            } else if (kind == u"replace"_s && !object.contains(token)) {
                return false;
            } else {
                object.insert(token, op.value(u"value"_s));
            }
        } else {
            QJsonValue child = object.value(token);
            if (!applyAt(child, tokens, op))
                return false;
            object.insert(token, child);
        }
        node = object;
        return true;
    }
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        bool ok = false;
        const int index = token.toInt(&ok);
        if (!ok || index < 0 || index > array.size())
            return false;
        if (tokens.isEmpty()) {
            if (kind == u"add"_s)
                array.insert(index, op.value(u"value"_s));
            else if (index == array.size())
                return false;
            else if (kind == u"remove"_s)
                array.removeAt(index);
            else
                array.replace(index, op.value(u"value"_s));
        } else {
            if (index == array.size())
                return false;
            QJsonValue child = array.at(index);
            if (!applyAt(child, tokens, op))
                return false;
            array.replace(index, child);
        }
        node = array;
        return true;
    }
    return false;
}

bool apply(QJsonValue &doc, const QJsonArray &ops)
{
    for (const QJsonValue &v : ops) {
        const QJsonObject op = v.toObject();
        const QString path = op.value(u"path"_s).toString();
        QStringList tokens;
        if (!path.isEmpty()) {
            tokens = path.mid(1).split(u'/');
            for (QString &t : tokens)
                t = t.replace(u"~1"_s, u"/"_s).replace(u"~0"_s, u"~"_s);
        }
        if (!applyAt(doc, tokens, op))
            return false;
    }
    return true;
}

} // namespace

class tst_MusubiTestDiff : public QObject
{
    Q_OBJECT
private slots:
    void diff_data();
    void diff();
    void escaping();
};

void tst_MusubiTestDiff::diff_data()
{
    QTest::addColumn<QJsonValue>("from");
    QTest::addColumn<QJsonValue>("to");
    QTest::addColumn<QJsonValue>("expected");

    QTest::newRow("equal → no ops") << parse(R"({"a":1,"b":[1,{"c":2}]})")
                                    << parse(R"({"a":1,"b":[1,{"c":2}]})") << parse("[]");
    QTest::newRow("object add") << parse(R"({"a":1})") << parse(R"({"a":1,"b":2})")
                                << parse(R"([{"op":"add","path":"/b","value":2}])");
    QTest::newRow("object remove") << parse(R"({"a":1,"b":2})") << parse(R"({"a":1})")
                                   << parse(R"([{"op":"remove","path":"/b"}])");
    QTest::newRow("object replace scalar")
            << parse(R"({"title":"Cart"})") << parse(R"({"title":"Cart 2"})")
            << parse(R"([{"op":"replace","path":"/title","value":"Cart 2"}])");
    QTest::newRow("replace with null") << parse(R"({"a":{"x":1}})") << parse(R"({"a":null})")
                                       << parse(R"([{"op":"replace","path":"/a","value":null}])");
    QTest::newRow("type change object → array")
            << parse(R"({"a":{"x":1}})") << parse(R"({"a":[1]})")
            << parse(R"([{"op":"replace","path":"/a","value":[1]}])");
    QTest::newRow("nested, no subtree replace")
            << parse(R"({"p":{"q":{"r":1,"s":2}}})") << parse(R"({"p":{"q":{"r":1,"s":3}}})")
            << parse(R"([{"op":"replace","path":"/p/q/s","value":3}])");
    QTest::newRow("array grows") << parse(R"({"l":[1,2]})") << parse(R"({"l":[1,2,3,4]})")
                                 << parse(R"([{"op":"add","path":"/l/2","value":3},
                                              {"op":"add","path":"/l/3","value":4}])");
    QTest::newRow("array shrinks") << parse(R"({"l":[1,2,3,4]})") << parse(R"({"l":[1,2]})")
                                   << parse(R"([{"op":"remove","path":"/l/3"},
                                                {"op":"remove","path":"/l/2"}])");
    QTest::newRow("array reorder is per-index replace")
            << parse(R"({"l":["a","b"]})") << parse(R"({"l":["b","a"]})")
            << parse(R"([{"op":"replace","path":"/l/0","value":"b"},
                         {"op":"replace","path":"/l/1","value":"a"}])");
    QTest::newRow("array head removal shifts by index")
            << parse(R"({"l":[1,2,3]})") << parse(R"({"l":[2,3]})")
            << parse(R"([{"op":"replace","path":"/l/0","value":2},
                         {"op":"replace","path":"/l/1","value":3},
                         {"op":"remove","path":"/l/2"}])");
    QTest::newRow("child store field")
            << parse(R"({"__musubi_store_id__":[],"promo":{"__musubi_store_id__":["promo"],"code":null}})")
            << parse(R"({"__musubi_store_id__":[],"promo":{"__musubi_store_id__":["promo"],"code":"SPRING"}})")
            << parse(R"([{"op":"replace","path":"/promo/code","value":"SPRING"}])");
    QTest::newRow("child store appears in a list")
            << parse(R"({"lines":[{"__musubi_store_id__":["lines","a"],"q":1}]})")
            << parse(R"({"lines":[{"__musubi_store_id__":["lines","a"],"q":1},{"__musubi_store_id__":["lines","b"],"q":2}]})")
            << parse(R"([{"op":"add","path":"/lines/1","value":{"__musubi_store_id__":["lines","b"],"q":2}}])");
    QTest::newRow("child store vanishes")
            << parse(R"({"panel":{"__musubi_store_id__":["panel"],"open":true}})")
            << parse(R"({"panel":null})")
            << parse(R"([{"op":"replace","path":"/panel","value":null}])");
    QTest::newRow("nested child stores")
            << parse(R"({"a":{"__musubi_store_id__":["a"],"b":{"__musubi_store_id__":["a","b"],"n":[1]}}})")
            << parse(R"({"a":{"__musubi_store_id__":["a"],"b":{"__musubi_store_id__":["a","b"],"n":[1,2]}}})")
            << parse(R"([{"op":"add","path":"/a/b/n/1","value":2}])");
    QTest::newRow("escaped keys") << parse(R"({})") << parse(R"({"a/b":1,"m~n":2})")
                                  << parse(R"([{"op":"add","path":"/a~1b","value":1},
                                               {"op":"add","path":"/m~0n","value":2}])");
    QTest::newRow("mixed add remove replace")
            << parse(R"({"a":1,"b":2,"c":{"d":[1,2]}})") << parse(R"({"b":3,"c":{"d":[1]},"e":4})")
            << parse(R"([{"op":"replace","path":"/b","value":3},
                         {"op":"remove","path":"/c/d/1"},
                         {"op":"add","path":"/e","value":4},
                         {"op":"remove","path":"/a"}])");
}

void tst_MusubiTestDiff::diff()
{
    QFETCH(QJsonValue, from);
    QFETCH(QJsonValue, to);
    QFETCH(QJsonValue, expected);
    const QJsonArray ops = Musubi::detail::diffJson(from, to);
    QCOMPARE(QJsonValue(ops), expected);
    QJsonValue doc = from;
    QVERIFY(apply(doc, ops));
    QCOMPARE(doc, to);
}

void tst_MusubiTestDiff::escaping()
{
    QCOMPARE(Musubi::detail::escapePointerToken(u"a/b~c"_s), u"a~1b~0c"_s);
    QCOMPARE(Musubi::detail::escapePointerToken(u""_s), u""_s);
}

QTEST_GUILESS_MAIN(tst_MusubiTestDiff)
#include "tst_musubitestdiff.moc"

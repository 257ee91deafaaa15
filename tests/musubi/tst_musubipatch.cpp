// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "testutil.h"

#include <musubistore.h>
#include <musubistoretree.h>
#include <musubiwiretree_p.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using Musubi::detail::JsonPointer;

class tst_MusubiPatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pointerParse_data();
    void pointerParse();
    void pointerEscape_data();
    void pointerEscape();
    void arrayIndex_data();
    void arrayIndex();
    void ops_data();
    void ops();
    void failures_data();
    void failures();
    void missingSections();
};

void tst_MusubiPatch::pointerParse_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QStringList>("tokens");
    QTest::newRow("whole document") << u""_s << true << QStringList();
    QTest::newRow("root key empty") << u"/"_s << true << QStringList{QString()};
    QTest::newRow("simple") << u"/a/b"_s << true << QStringList{u"a"_s, u"b"_s};
    QTest::newRow("~1 is slash") << u"/a~1b"_s << true << QStringList{u"a/b"_s};
    QTest::newRow("~0 is tilde") << u"/m~0n"_s << true << QStringList{u"m~n"_s};
    QTest::newRow("~01 is ~1, not slash") << u"/~01"_s << true << QStringList{u"~1"_s};
    QTest::newRow("~10 is /0") << u"/~10"_s << true << QStringList{u"/0"_s};
    QTest::newRow("empty tokens") << u"//x/"_s << true << QStringList{QString(), u"x"_s, QString()};
    QTest::newRow("unicode") << u"/caf\u00e9"_s << true << QStringList{u"caf\u00e9"_s};
    QTest::newRow("no leading slash") << u"a/b"_s << false << QStringList();
    QTest::newRow("bad escape ~2") << u"/a~2"_s << false << QStringList();
    QTest::newRow("dangling ~") << u"/a~"_s << false << QStringList();
}

void tst_MusubiPatch::pointerParse()
{
    QFETCH(QString, pointer);
    QFETCH(bool, valid);
    QFETCH(QStringList, tokens);
    QString error;
    const auto parsed = JsonPointer::parse(pointer, &error);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(*parsed, tokens);
        QCOMPARE(JsonPointer::build(*parsed), pointer);
    } else {
        QVERIFY(!error.isEmpty());
    }
}

void tst_MusubiPatch::pointerEscape_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("plain") << u"abc"_s << u"abc"_s;
    QTest::newRow("slash") << u"a/b"_s << u"a~1b"_s;
    QTest::newRow("tilde") << u"a~b"_s << u"a~0b"_s;
    QTest::newRow("tilde then one") << u"~1"_s << u"~01"_s;
}

void tst_MusubiPatch::pointerEscape()
{
    QFETCH(QString, token);
    QFETCH(QString, escaped);
    QCOMPARE(JsonPointer::escapeToken(token), escaped);
    QCOMPARE(*JsonPointer::parse(u"/"_s + escaped), QStringList{token});
}

void tst_MusubiPatch::arrayIndex_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<qsizetype>("index"); // -1: not an index
    QTest::newRow("0") << u"0"_s << qsizetype(0);
    QTest::newRow("12") << u"12"_s << qsizetype(12);
    QTest::newRow("leading zero") << u"01"_s << qsizetype(-1);
    QTest::newRow("dash") << u"-"_s << qsizetype(-1);
    QTest::newRow("negative") << u"-1"_s << qsizetype(-1);
    QTest::newRow("plus") << u"+1"_s << qsizetype(-1);
    QTest::newRow("empty") << QString() << qsizetype(-1);
    QTest::newRow("letters") << u"1a"_s << qsizetype(-1);
}

void tst_MusubiPatch::arrayIndex()
{
    QFETCH(QString, token);
    QFETCH(qsizetype, index);
    const auto parsed = JsonPointer::arrayIndex(token);
    QCOMPARE(parsed.value_or(-1), index);
}

static const char *kDoc = "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},"
                          "'arr':[10,20,30],'a/b':'slash','m~n':'tilde','n':null}";

void tst_MusubiPatch::ops_data()
{
    QTest::addColumn<QJsonValue>("ops");
    QTest::addColumn<QJsonValue>("expected");
    auto row = [](const char *name, const char *ops, const char *expected) {
        QTest::newRow(name) << json(ops) << json(expected);
    };
    const char *base = "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},"
                       "'arr':[10,20,30],'a/b':'slash','m~n':'tilde','n':null}";
    Q_UNUSED(base);
    row("replace object member", "[{'op':'replace','path':'/a','value':2}]",
        "{'__musubi_store_id__':[],'a':2,'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("add new member", "[{'op':'add','path':'/b','value':{'k':true}}]",
        "{'__musubi_store_id__':[],'a':1,'b':{'k':true},'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("add existing member replaces", "[{'op':'add','path':'/a','value':'s'}]",
        "{'__musubi_store_id__':[],'a':'s','o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("remove member", "[{'op':'remove','path':'/o'}]",
        "{'__musubi_store_id__':[],'a':1,'arr':[10,20,30],'a/b':'slash','m~n':'tilde','n':null}");
    row("explicit null is a value", "[{'op':'replace','path':'/a','value':null}]",
        "{'__musubi_store_id__':[],'a':null,'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("replace null member", "[{'op':'replace','path':'/n','value':0}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':0}");
    row("escaped ~1", "[{'op':'replace','path':'/a~1b','value':'S'}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'S','m~n':'tilde','n':null}");
    row("escaped ~0", "[{'op':'remove','path':'/m~0n'}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','n':null}");
    row("nested member", "[{'op':'replace','path':'/o/x','value':5}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':5,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("array replace", "[{'op':'replace','path':'/arr/1','value':21}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,21,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("array add shifts", "[{'op':'add','path':'/arr/0','value':5}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[5,10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("array add at length", "[{'op':'add','path':'/arr/3','value':40}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,20,30,40],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("array add dash appends", "[{'op':'add','path':'/arr/-','value':40}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,20,30,40],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("array remove shifts", "[{'op':'remove','path':'/arr/0'}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("nested array", "[{'op':'add','path':'/o/y/1','value':[9]}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,[9],2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("left to right",
        "[{'op':'add','path':'/arr/-','value':40},{'op':'remove','path':'/arr/"
        "0'},{'op':'replace','path':'/arr/2','value':41}]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[20,30,41],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("op on value added earlier",
        "[{'op':'add','path':'/z','value':{}},{'op':'add','path':'/z/"
        "q','value':[]},{'op':'add','path':'/z/q/0','value':1}]",
        "{'__musubi_store_id__':[],'a':1,'z':{'q':[1]},'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("replace whole document",
        "[{'op':'replace','path':'','value':{'__musubi_store_id__':[],'k':1}}]",
        "{'__musubi_store_id__':[],'k':1}");
    row("empty key member", "[{'op':'add','path':'/','value':3}]",
        "{'__musubi_store_id__':[],'':3,'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
    row("no ops", "[]",
        "{'__musubi_store_id__':[],'a':1,'o':{'x':1,'y':[1,2]},'arr':[10,20,30],'a/"
        "b':'slash','m~n':'tilde','n':null}");
}

void tst_MusubiPatch::ops()
{
    QFETCH(QJsonValue, ops);
    QFETCH(QJsonValue, expected);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kDoc))));
    const auto error = tree.apply(envelope(ops));
    QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
    QCOMPARE(compact(tree.tree()), compact(expected));
}

void tst_MusubiPatch::failures_data()
{
    QTest::addColumn<QJsonValue>("ops");
    QTest::addColumn<int>("opIndex");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("messagePart");
    auto row = [](const char *name, const QByteArray &ops, int index, const QString &path,
                  const QString &part) {
        QTest::newRow(name) << json(ops.constData()) << index << path << part;
    };
    // Each case starts with a valid op so that atomicity (rollback of op 0) is checked too.
    const char *ok =
            "{'op':'replace','path':'/a','value':99},{'op':'add','path':'/arr/0','value':1},";
    auto ops = [ok](const char *bad) {
        return QByteArray("[") + ok + bad + "]";
    };
    row("move", ops("{'op':'move','from':'/a','path':'/b'}"), 2, u"/b"_s, u"not allowed"_s);
    row("copy", ops("{'op':'copy','from':'/a','path':'/b'}"), 2, u"/b"_s, u"not allowed"_s);
    row("test", ops("{'op':'test','path':'/a','value':1}"), 2, u"/a"_s, u"not allowed"_s);
    row("unknown op", ops("{'op':'merge','path':'/a','value':1}"), 2, u"/a"_s, u"not allowed"_s);
    row("op not a string", ops("{'op':1,'path':'/a','value':1}"), 2, u"/a"_s, u"op"_s);
    row("op not an object", ops("7"), 2, QString(), u"not an object"_s);
    row("add without value", ops("{'op':'add','path':'/b'}"), 2, u"/b"_s, u"without \"value\""_s);
    row("replace without value", ops("{'op':'replace','path':'/a'}"), 2, u"/a"_s,
        u"without \"value\""_s);
    row("missing path", ops("{'op':'remove'}"), 2, QString(), u"path"_s);
    row("path without slash", ops("{'op':'remove','path':'a'}"), 2, u"a"_s, u"start"_s);
    row("bad escape", ops("{'op':'remove','path':'/a~3'}"), 2, u"/a~3"_s, u"escape"_s);
    row("remove missing member", ops("{'op':'remove','path':'/nope'}"), 2, u"/nope"_s,
        u"does not exist"_s);
    row("replace missing member", ops("{'op':'replace','path':'/nope','value':1}"), 2, u"/nope"_s,
        u"does not exist"_s);
    row("missing intermediate", ops("{'op':'add','path':'/nope/x','value':1}"), 2, u"/nope/x"_s,
        u"does not exist"_s);
    row("through a scalar", ops("{'op':'add','path':'/a/x','value':1}"), 2, u"/a/x"_s,
        u"not a container"_s);
    row("index out of range", ops("{'op':'replace','path':'/arr/4','value':1}"), 2, u"/arr/4"_s,
        u"out of range"_s);
    row("add beyond length", ops("{'op':'add','path':'/arr/5','value':1}"), 2, u"/arr/5"_s,
        u"out of range"_s);
    row("remove at length", ops("{'op':'remove','path':'/arr/4'}"), 2, u"/arr/4"_s,
        u"out of range"_s);
    row("leading zero index", ops("{'op':'replace','path':'/arr/01','value':1}"), 2, u"/arr/01"_s,
        u"not an array index"_s);
    row("dash for replace", ops("{'op':'replace','path':'/arr/-','value':1}"), 2, u"/arr/-"_s,
        u"only valid for add"_s);
    row("dash for remove", ops("{'op':'remove','path':'/arr/-'}"), 2, u"/arr/-"_s,
        u"only valid for add"_s);
    row("negative index", ops("{'op':'remove','path':'/arr/-1'}"), 2, u"/arr/-1"_s,
        u"not an array index"_s);
    row("index into object by dash", ops("{'op':'remove','path':'/o/-'}"), 2, u"/o/-"_s,
        u"does not exist"_s);
    row("remove whole document", ops("{'op':'remove','path':''}"), 2, QString(),
        u"whole document"_s);
    row("dash in the middle", ops("{'op':'add','path':'/arr/-/x','value':1}"), 2, u"/arr/-/x"_s,
        u"not an array index"_s);
    row("first op fails", "[{'op':'remove','path':'/zz'}]", 0, u"/zz"_s, u"does not exist"_s);
}

void tst_MusubiPatch::failures()
{
    QFETCH(QJsonValue, ops);
    QFETCH(int, opIndex);
    QFETCH(QString, path);
    QFETCH(QString, messagePart);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kDoc))));
    const QJsonObject before = tree.tree();
    MusubiStore *root = tree.rootStore();
    const QVariant a = root->value(u"a"_s);
    QSignalSpy changed(root, &MusubiStore::changed);
    QSignalSpy storesChanged(&tree, &MusubiStoreTree::storesChanged);
    QSignalSpy valueChanged(root, &QQmlPropertyMap::valueChanged);
    const quint64 revision = tree.revision();

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused envelope"_s));
    const auto error = tree.apply(envelope(ops));
    QVERIFY(error);
    QCOMPARE(error->section, u"ops"_s);
    QCOMPARE(error->opIndex, opIndex);
    QCOMPARE(error->path, path);
    QVERIFY2(error->message.contains(messagePart), qPrintable(error->message));
    // Atomic: nothing of ops 0 and 1 is visible.
    QCOMPARE(compact(tree.tree()), compact(before));
    QCOMPARE(tree.rootStore(), root);
    QCOMPARE(root->value(u"a"_s), a);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(storesChanged.size(), 0);
    QCOMPARE(valueChanged.size(), 0);
    QCOMPARE(tree.revision(), revision);
    // And the tree still works afterwards.
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/a','value':7}]"))));
    QCOMPARE(tree.rootStore()->value(u"a"_s).toInt(), 7);
}

void tst_MusubiPatch::missingSections()
{
    MusubiStoreTree tree;
    QJsonObject env = mountEnvelope(json("{'__musubi_store_id__':[]}"));
    env.remove(u"upload_ops"_s);
    env.remove(u"stream_ops"_s);
    QVERIFY(!tree.apply(env));
    env.insert(u"ops"_s, u"nope"_s);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused envelope"_s));
    const auto error = tree.apply(env);
    QVERIFY(error);
    QCOMPARE(error->section, u"ops"_s);
    QCOMPARE(error->opIndex, -1);
}

QTEST_GUILESS_MAIN(tst_MusubiPatch)
#include "tst_musubipatch.moc"

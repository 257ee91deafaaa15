// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Which QML bindings re-evaluate: the engine is used here only, the library never
// depends on it.
#include "testutil.h"

#include <musubistore.h>
#include <musubistoretree.h>

#include <QtQml/QQmlComponent>
#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

class Counter : public QObject
{
    Q_OBJECT
public:
    Q_INVOKABLE void hit(const QString &name) { hits.append(name); }
    QStringList hits;
};

namespace {

const char *kBase = "{'__musubi_store_id__':[],'title':'t','count':1,'meta':{'a':1},"
                    "'child':{'__musubi_store_id__':['child'],'name':'c'},"
                    "'lines':[{'__musubi_store_id__':['lines','l1'],'q':1}],"
                    "'feed':{'__musubi_stream__':'feed'}}";

const char *kQml = R"(
import QtQml
QtObject {
    property var title: { counter.hit("root:title"); return root.title }
    property var count: { counter.hit("root:count"); return root.count }
    property var meta: { counter.hit("root:meta"); return root.meta }
    property var childName: { counter.hit("child:name"); return root.child ? root.child.name : undefined }
    property var lines: { counter.hit("root:lines"); return root.lines }
    property var lineQ: { counter.hit("l1:q"); return root.lines.get(0).q }
    property var lineCount: { counter.hit("lines:count"); return root.lines.count }
    property var feedCount: { counter.hit("feed:count"); return root.feed.count }
    property var late: { counter.hit("root:late"); return root.late }
    property var held: root.child
    function write() { root.title = "hacked" }
}
)";

} // namespace

class tst_MusubiBindings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void reevaluatedBindings_data();
    void reevaluatedBindings();
    void writesFromQmlAreRefused();
    void vanishedStoreReadsNull();

private:
    std::unique_ptr<QQmlEngine> m_engine;
    std::unique_ptr<MusubiStoreTree> m_tree;
    std::unique_ptr<QObject> m_object;
    Counter m_counter;
};

void tst_MusubiBindings::init()
{
    m_tree = std::make_unique<MusubiStoreTree>();
    QVERIFY(!m_tree->apply(mountEnvelope(json(kBase))));
    m_engine = std::make_unique<QQmlEngine>();
    m_engine->rootContext()->setContextProperty(u"root"_s, m_tree->rootStore());
    m_engine->rootContext()->setContextProperty(u"counter"_s, &m_counter);
    QQmlComponent component(m_engine.get());
    component.setData(kQml, QUrl(u"qrc:/bindings.qml"_s));
    m_object.reset(component.create());
    QVERIFY2(m_object, qPrintable(component.errorString()));
    QCOMPARE(m_object->property("title").toString(), u"t"_s);
    QCOMPARE(m_object->property("childName").toString(), u"c"_s);
    QCOMPARE(m_object->property("lineQ").toInt(), 1);
    m_counter.hits.clear();
}

void tst_MusubiBindings::cleanup()
{
    m_object.reset();
    m_engine.reset();
    m_tree.reset();
}

void tst_MusubiBindings::reevaluatedBindings_data()
{
    QTest::addColumn<QJsonValue>("ops");
    QTest::addColumn<QJsonValue>("streamOps");
    QTest::addColumn<QStringList>("reevaluated");
    auto row = [](const char *name, const char *ops, const QStringList &expected,
                  const char *streamOps = "[]") {
        QTest::newRow(name) << json(ops) << json(streamOps) << expected;
    };
    row("title", "[{'op':'replace','path':'/title','value':'x'}]", {u"root:title"_s});
    row("same title", "[{'op':'replace','path':'/title','value':'t'}]", {});
    row("nested plain object", "[{'op':'replace','path':'/meta/a','value':2}]", {u"root:meta"_s});
    row("child field only", "[{'op':'replace','path':'/child/name','value':'d'}]",
        {u"child:name"_s});
    row("list child field only", "[{'op':'replace','path':'/lines/0/q','value':2}]", {u"l1:q"_s});
    row("list grows",
        "[{'op':'add','path':'/lines/-','value':{'__musubi_store_id__':['lines','l2'],'q':2}}]",
        {u"lines:count"_s}); // a MusubiStoreListModel: `lines` stays the same object
    row("key that QML read before it existed", "[{'op':'add','path':'/late','value':1}]",
        {u"root:late"_s});
    row("identical whole tree",
        "[{'op':'replace','path':'','value':{'__musubi_store_id__':[],'title':'t','count':1,"
        "'meta':{'a':1},'child':{'__musubi_store_id__':['child'],'name':'c'},"
        "'lines':[{'__musubi_store_id__':['lines','l1'],'q':1}],'feed':{'__musubi_stream__':'feed'}"
        "}}]",
        {});
    row("whole tree, one change",
        "[{'op':'replace','path':'','value':{'__musubi_store_id__':[],'title':'t','count':2,"
        "'meta':{'a':1},'child':{'__musubi_store_id__':['child'],'name':'c'},"
        "'lines':[{'__musubi_store_id__':['lines','l1'],'q':1}],'feed':{'__musubi_stream__':'feed'}"
        "}}]",
        {u"root:count"_s});
    row("stream insert", "[]", {u"feed:count"_s},
        "[{'op':'insert','stream':'feed','store_id':[],'item_key':'a','item':1,'at':-1}]");
}

void tst_MusubiBindings::reevaluatedBindings()
{
    QFETCH(QJsonValue, ops);
    QFETCH(QJsonValue, streamOps);
    QFETCH(QStringList, reevaluated);
    const auto error = m_tree->apply(envelope(ops, streamOps));
    QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
    QStringList hits = m_counter.hits;
    hits.sort();
    QCOMPARE(hits, reevaluated);
}

void tst_MusubiBindings::writesFromQmlAreRefused()
{
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"read-only.*dispatch\\(\\).*MusubiCommand"_s));
    QMetaObject::invokeMethod(m_object.get(), "write");
    QCOMPARE(m_tree->rootStore()->value(u"title"_s).toString(), u"t"_s);
    QCOMPARE(m_object->property("title").toString(), u"t"_s);
}

void tst_MusubiBindings::vanishedStoreReadsNull()
{
    QVERIFY(m_object->property("held").value<QObject *>());
    QVERIFY(!m_tree->apply(envelope(json("[{'op':'remove','path':'/child'}]"))));
    QTRY_VERIFY(!m_object->property("held").value<QObject *>());
}

QTEST_GUILESS_MAIN(tst_MusubiBindings)
#include "tst_musubibindings.moc"

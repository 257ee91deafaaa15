// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Resource limits (docs/limits.md): incoming frame size, the offline push
// buffer, JSON nesting depth through the whole pipeline (frame decoder, store
// tree, store values, resolved views, store index) and long streams. Each
// test fails if the limit is missing or if honouring it costs a crash (the
// ASan build runs these with the default 8 MiB stack).

#include "../phoenix/fakephoenixtransport.h"

#include <musubistore.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubiwiretree_p.h>
#include <phoenixchannel.h>
#include <phoenixmessage.h>
#include <phoenixpush.h>
#include <phoenixscheduler.h>
#include <phoenixsocket.h>

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Musubi::detail::WireTree;

namespace {

//! \a depth nested arrays around \a inner, as JSON text.
QByteArray nestedArrays(int depth, const QByteArray &inner = {})
{
    return QByteArray(depth, '[') + inner + QByteArray(depth, ']');
}

//! {"a":{"a":...{"a":leaf}}} with \a depth objects, built without recursion.
QJsonValue chain(int depth, const QJsonValue &leaf = 0)
{
    QJsonValue value = leaf;
    for (int i = 0; i < depth; ++i)
        value = QJsonObject{{u"a"_s, value}};
    return value;
}

//! "/a/a/.../a" with \a n tokens.
QString chainPath(int n)
{
    QString path;
    path.reserve(n * 2);
    for (int i = 0; i < n; ++i)
        path.append(u"/a"_s);
    return path;
}

QJsonObject envelope(int base, const QJsonArray &ops, const QJsonArray &streamOps = {})
{
    return {{u"type"_s, u"patch"_s},      {u"base_version"_s, base},
            {u"version"_s, base + 1},     {u"ops"_s, ops},
            {u"stream_ops"_s, streamOps}, {u"upload_ops"_s, QJsonArray()},
            {u"events"_s, QJsonArray()}};
}

QJsonObject op(const QString &kind, const QString &path, const QJsonValue &value)
{
    return {{u"op"_s, kind}, {u"path"_s, path}, {u"value"_s, value}};
}

//! Depth of the deepest container, iteratively.
int depthOf(const QJsonValue &root)
{
    int deepest = 0;
    QList<std::pair<QJsonValue, int>> stack{{root, 1}};
    while (!stack.isEmpty()) {
        const auto [value, depth] = stack.takeLast();
        if (value.isObject()) {
            deepest = std::max(deepest, depth);
            const QJsonObject object = value.toObject();
            for (auto it = object.constBegin(); it != object.constEnd(); ++it)
                stack.append({it.value(), depth + 1});
        } else if (value.isArray()) {
            deepest = std::max(deepest, depth);
            for (const QJsonValue &item : value.toArray())
                stack.append({item, depth + 1});
        }
    }
    return deepest;
}

struct SocketFixture
{
    SocketFixture()
    {
        socket = std::make_unique<PhoenixSocket>();
        transport = new FakePhoenixTransport;
        scheduler = new PhoenixManualScheduler;
        socket->setTransport(transport);
        socket->setScheduler(scheduler);
        socket->setUrl(QUrl(u"ws://127.0.0.1:1/socket"_s));
    }
    std::unique_ptr<PhoenixSocket> socket;
    FakePhoenixTransport *transport;
    PhoenixManualScheduler *scheduler;
};

} // namespace

class tst_Limits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void frameSizeLimit_data();
    void frameSizeLimit();
    void defaultFrameSize();
    void pushBufferLimit();
    void parserDepthLimit_data();
    void parserDepthLimit();
    void deepFrameThroughSocket();
    void deepestAcceptedEnvelope();
    void deepStoreNesting();
    void treeDepthIsBounded();
    void longStream();
    void wideTree();
};

// --- Frame size -------------------------------------------------------------------

void tst_Limits::frameSizeLimit_data()
{
    QTest::addColumn<bool>("binary");
    QTest::newRow("text") << false;
    QTest::newRow("binary") << true;
}

void tst_Limits::frameSizeLimit()
{
    QFETCH(bool, binary);
    SocketFixture f;
    f.socket->setMaxFrameSize(1024);
    f.socket->connectToServer();
    QCOMPARE(f.transport->maxMessageSize,
             qint64(1024)); // the transport refuses larger messages too
    f.transport->serverOpen();
    PhoenixChannel *channel = f.socket->channel(u"room:1"_s);
    QSignalSpy messages(channel, &PhoenixChannel::messageReceived);
    QSignalSpy binaryMessages(channel, &PhoenixChannel::binaryMessageReceived);
    channel->join();
    const PhoenixMessage join = f.transport->sent(u"phx_join"_s).constFirst();
    f.transport->serverReply(join, u"ok"_s);
    QCOMPARE(channel->state(), PhoenixChannel::State::Joined);

    auto frameOf = [&](qsizetype size) {
        if (binary) {
            // kind 2 (broadcast): u8 lengths of topic and event, then the payload.
            QByteArray header("\x02\x06\x04"
                              "room:1"
                              "ping",
                              13);
            return header + QByteArray(size - header.size(), 'x');
        }
        const QByteArray head = "[\"" + join.joinRef.toUtf8() + "\",null,\"room:1\",\"ping\",\"";
        const QByteArray tail = "\"]";
        return head + QByteArray(size - head.size() - tail.size(), 'x') + tail;
    };
    QSignalSpy &received = binary ? binaryMessages : messages;
    auto deliver = [&](const QByteArray &frame) {
        if (binary)
            emit f.transport->binaryReceived(frame);
        else
            emit f.transport->textReceived(frame);
    };
    deliver(frameOf(1024)); // at the limit: accepted
    QCOMPARE(received.count(), 1);
    deliver(frameOf(1025)); // above: dropped, the socket stays open
    QCOMPARE(received.count(), 1);
    QVERIFY(f.socket->isOpen());
    deliver(frameOf(100));
    QCOMPARE(received.count(), 2);
}

void tst_Limits::defaultFrameSize()
{
    SocketFixture f;
    QCOMPARE(f.socket->maxFrameSize(), qint64(16 * 1024 * 1024));
    f.socket->connectToServer();
    QCOMPARE(f.transport->maxMessageSize, qint64(16 * 1024 * 1024));
}

// --- Offline push buffer ------------------------------------------------------------

void tst_Limits::pushBufferLimit()
{
    SocketFixture f;
    f.socket->connectToServer(); // never opens: every push waits in the buffer
    PhoenixChannel *channel = f.socket->channel(u"room:1"_s);
    channel->join();
    QList<QPointer<PhoenixPush>> pushes;
    for (int i = 0; i < PhoenixChannel::MaxBufferedPushes; ++i)
        pushes.append(channel->push(u"msg"_s, QJsonObject{{u"i"_s, i}}));
    QCOMPARE(channel->bufferedCount(), PhoenixChannel::MaxBufferedPushes);
    QCOMPARE(PhoenixChannel::MaxBufferedPushes, 256);

    PhoenixPush *overflow = channel->push(u"msg"_s, QJsonObject{{u"i"_s, -1}});
    QSignalSpy finished(overflow, &PhoenixPush::finished);
    QVERIFY(finished.wait(1000)); // reported asynchronously, after the caller connected
    QCOMPARE(finished.at(0).at(0).value<PhoenixPush::Result>(), PhoenixPush::Result::Failed);
    QVERIFY(overflow->errorString().contains(u"buffer full"_s));
    QCOMPARE(channel->bufferedCount(), PhoenixChannel::MaxBufferedPushes);

    // The buffered ones time out (never sent later), and the buffer empties.
    QSignalSpy firstFinished(pushes.constFirst().get(), &PhoenixPush::finished);
    f.scheduler->advance(f.socket->defaultTimeout());
    QCOMPARE(firstFinished.count(), 1);
    QCOMPARE(firstFinished.at(0).at(0).value<PhoenixPush::Result>(), PhoenixPush::Result::Timeout);
    QCOMPARE(channel->bufferedCount(), 0);
    f.transport->serverOpen();
    QCOMPARE(f.transport->sent(u"msg"_s).size(), 0);
}

// --- Nesting depth ------------------------------------------------------------------

void tst_Limits::parserDepthLimit_data()
{
    QTest::addColumn<int>("depth");
    QTest::addColumn<bool>("accepted");
    // The frame array is one level; the payload adds the rest.
    QTest::newRow("1024") << 1024 << true;
    QTest::newRow("1025") << 1025 << false;
    QTest::newRow("100000") << 100000 << false;
    QTest::newRow("1000000") << 1000000 << false;
}

void tst_Limits::parserDepthLimit()
{
    QFETCH(int, depth);
    QFETCH(bool, accepted);
    const QByteArray frame = "[null,null,\"t\",\"e\"," + nestedArrays(depth - 1) + "]";
    QString error;
    const auto message = PhoenixSerializer::decodeText(frame, &error);
    QCOMPARE(message.has_value(), accepted);
    if (!accepted)
        QVERIFY(!error.isEmpty());
}

void tst_Limits::deepFrameThroughSocket()
{
    SocketFixture f;
    f.socket->connectToServer();
    f.transport->serverOpen();
    PhoenixChannel *channel = f.socket->channel(u"room:1"_s);
    QSignalSpy messages(channel, &PhoenixChannel::messageReceived);
    channel->join();
    const PhoenixMessage join = f.transport->sent(u"phx_join"_s).constFirst();
    f.transport->serverReply(join, u"ok"_s);
    const QByteArray head = "[\"" + join.joinRef.toUtf8() + "\",null,\"room:1\",\"patch\",";
    emit f.transport->textReceived(head + nestedArrays(100000) + "]");
    emit f.transport->textReceived(head + "{\"a\":" + nestedArrays(100000, "1") + "}]");
    QCOMPARE(messages.count(), 0);
    QVERIFY(f.socket->isOpen());
    QCOMPARE(channel->state(), PhoenixChannel::State::Joined);
    // The deepest payload the parser takes goes through.
    emit f.transport->textReceived(head + nestedArrays(1023) + "]");
    QCOMPARE(messages.count(), 1);
    QCOMPARE(depthOf(messages.at(0).at(1).toJsonValue()), 1023);
}

void tst_Limits::deepestAcceptedEnvelope()
{
    // The deepest initial envelope a text frame can carry: frame array,
    // payload object, ops array and op object leave 1020 levels for the value.
    const int valueDepth = 1020;
    QByteArray value = "{\"__musubi_store_id__\":[],\"deep\":";
    value += QByteArray("{\"a\":").repeated(valueDepth - 2) + "{\"leaf\":true}"
            + QByteArray(valueDepth - 2, '}') + ",\"list\":" + nestedArrays(valueDepth - 1) + "}";
    const QByteArray frame = "[null,null,\"musubi:connection\",\"patch\",{\"type\":\"patch\","
                             "\"base_version\":0,\"version\":1,\"stream_ops\":[],"
                             "\"ops\":[{\"op\":\"replace\",\"path\":\"\",\"value\":"
            + value + "}]}]";
    QString error;
    const auto message = PhoenixSerializer::decodeText(frame, &error);
    QVERIFY2(message, qPrintable(error));

    MusubiStoreTree tree;
    const auto applied = tree.apply(message->payload.toObject());
    QVERIFY2(!applied, qPrintable(applied ? applied->toString() : QString()));
    QCOMPARE(depthOf(tree.tree()), valueDepth);
    // Every reader of the tree: wire view, resolved view, store values, index.
    QCOMPARE(depthOf(tree.resolvedState()), valueDepth);
    QVERIFY(tree.rootStore());
    QCOMPARE(depthOf(QJsonValue::fromVariant(tree.rootStore()->value(u"deep"_s))), valueDepth - 1);
    QCOMPARE(tree.storeIds(), QList<QJsonArray>{QJsonArray()});
    QVERIFY(!QJsonDocument(tree.tree()).toJson(QJsonDocument::Compact).isEmpty());
    // Replacing the deep value with an equal one compares them; removing it unindexes.
    const QJsonObject deepValue = tree.tree().value(u"deep"_s).toObject();
    QVERIFY(!tree.apply(envelope(1, {op(u"replace"_s, u"/deep"_s, deepValue)})));
    QVERIFY(!tree.apply(
            envelope(2, {QJsonObject{{u"op"_s, u"remove"_s}, {u"path"_s, u"/deep"_s}}})));
    QCOMPARE(depthOf(tree.tree()), valueDepth); // "list" is as deep
    tree.clear();
    QVERIFY(!tree.hasTree());
}

void tst_Limits::deepStoreNesting()
{
    // Stores nested 500 deep: the index, the store values (each store points at
    // its child store) and pruning walk all of them.
    const int stores = 500;
    QJsonObject node{{u"__musubi_store_id__"_s, QJsonArray{u"s%1"_s.arg(stores)}},
                     {u"n"_s, stores}};
    for (int i = stores - 1; i >= 1; --i)
        node = QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"s%1"_s.arg(i)}},
                           {u"n"_s, i},
                           {u"child"_s, node}};
    const QJsonObject root{{u"__musubi_store_id__"_s, QJsonArray()}, {u"child"_s, node}};
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(envelope(0, {op(u"replace"_s, QString(), root)})));
    QCOMPARE(tree.storeIds().size(), stores + 1);
    MusubiStore *deepest = tree.store(QJsonArray{u"s%1"_s.arg(stores)});
    QVERIFY(deepest);
    QCOMPARE(deepest->value(u"n"_s).toInt(), stores);
    QCOMPARE(depthOf(tree.resolvedState()), stores + 2); // + the innermost store id array
    // Removing the outermost child prunes every store below it.
    QSignalSpy removed(&tree, &MusubiStoreTree::storesRemoved);
    QVERIFY(!tree.apply(
            envelope(1, {QJsonObject{{u"op"_s, u"remove"_s}, {u"path"_s, u"/child"_s}}})));
    QCOMPARE(tree.storeIds().size(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(0).value<QList<QJsonArray>>().size(), stores);
    QTRY_VERIFY(tree.findChildren<MusubiStore *>().size() == 1); // deleted later
}

void tst_Limits::treeDepthIsBounded()
{
    // No single envelope can exceed the parser's depth, but a chain of
    // envelopes could grow the tree level by level; the wire tree stops at
    // WireTree::MaxDepth instead of growing until a recursive reader overflows.
    MusubiStoreTree tree;
    const int step = 1000;
    QVERIFY(!tree.apply(envelope(0,
                                 {op(u"replace"_s, QString(),
                                     QJsonObject{{u"__musubi_store_id__"_s, QJsonArray()},
                                                 {u"a"_s, chain(step - 1)}})})));
    QCOMPARE(depthOf(tree.tree()), step);
    // Up to the limit exactly: accepted.
    const int room = int(WireTree::MaxDepth) - (step - 1);
    QVERIFY(!tree.apply(envelope(1, {op(u"replace"_s, chainPath(step - 1), chain(room))})));
    QCOMPARE(depthOf(tree.tree()), int(WireTree::MaxDepth));
    const QJsonObject atLimit = tree.tree();

    // "/a" x MaxDepth is the scalar inside the deepest object. Any container
    // there, one level or a thousand: refused, atomically.
    for (int extra : {1, 2, 1000}) {
        const auto error = tree.apply(
                envelope(2,
                         {op(u"add"_s, u"/b"_s, 1),
                          op(u"replace"_s, chainPath(int(WireTree::MaxDepth)), chain(extra))}));
        QVERIFY(error);
        QCOMPARE(error->section, u"ops"_s);
        QCOMPARE(error->opIndex, 1);
        QVERIFY2(error->message.contains(u"deeper"_s), qPrintable(error->message));
        QCOMPARE(tree.tree(), atLimit);
    }
    // A scalar at the deepest slot is fine, and so is an object as deep as the one it replaces.
    QVERIFY(!tree.apply(envelope(2, {op(u"replace"_s, chainPath(int(WireTree::MaxDepth)), 7)})));
    QVERIFY(tree.apply(
            envelope(3, {op(u"replace"_s, chainPath(int(WireTree::MaxDepth)), QJsonArray())})));
    QVERIFY(!tree.apply(
            envelope(3, {op(u"replace"_s, chainPath(int(WireTree::MaxDepth) - 1), chain(1))})));
    QVERIFY(tree.apply(
            envelope(4, {op(u"replace"_s, chainPath(int(WireTree::MaxDepth) - 1), chain(2))})));
    QVERIFY(tree.apply(
            envelope(4, {op(u"replace"_s, QString(), chain(int(WireTree::MaxDepth) + 1))})));
    QVERIFY(!tree.apply(
            envelope(4, {op(u"replace"_s, QString(), chain(int(WireTree::MaxDepth)))})));
    // A value built in C++ (no parser limit) far deeper than that: refused without
    // descending into it.
    const auto deep = tree.apply(envelope(5, {op(u"replace"_s, u"/a"_s, chain(20000))}));
    QVERIFY(deep);
    QVERIFY2(deep->message.contains(u"deeper"_s), qPrintable(deep->message));
}

// --- Long streams and wide trees ----------------------------------------------------

void tst_Limits::longStream()
{
    // Stream length has no limit of its own: an envelope is bounded by the
    // frame size. 100,000 items in one envelope, then trimmed by a limit.
    const int count = 100000;
    MusubiStoreTree tree;
    QJsonArray streamOps;
    for (int i = 0; i < count; ++i)
        streamOps.append(QJsonObject{{u"op"_s, u"insert"_s},
                                     {u"stream"_s, u"log"_s},
                                     {u"store_id"_s, QJsonArray()},
                                     {u"item_key"_s, QString::number(i)},
                                     {u"at"_s, -1},
                                     {u"item"_s, QJsonObject{{u"i"_s, i}}},
                                     {u"limit"_s, QJsonValue::Null}});
    const QJsonObject root{{u"__musubi_store_id__"_s, QJsonArray()},
                           {u"log"_s, QJsonObject{{u"__musubi_stream__"_s, u"log"_s}}}};
    QVERIFY(!tree.apply(envelope(0, {op(u"replace"_s, QString(), root)}, streamOps)));
    MusubiStreamModel *log = tree.stream(QJsonArray(), u"log"_s);
    QVERIFY(log);
    QAbstractItemModelTester tester(log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(log->count(), count);
    QCOMPARE(log->keyAt(count - 1), QString::number(count - 1));
    QCOMPARE(tree.resolvedState().toObject().value(u"log"_s).toArray().size(), count);
    const QJsonArray trim{QJsonObject{{u"op"_s, u"insert"_s},
                                      {u"stream"_s, u"log"_s},
                                      {u"store_id"_s, QJsonArray()},
                                      {u"item_key"_s, u"last"_s},
                                      {u"at"_s, -1},
                                      {u"item"_s, 0},
                                      {u"limit"_s, -10}}};
    QVERIFY(!tree.apply(envelope(1, {}, trim)));
    QCOMPARE(log->count(), 10);
    QCOMPARE(log->keyAt(9), u"last"_s);
}

void tst_Limits::wideTree()
{
    // 100,000 members and 10,000 child stores in one array: width costs time, never stack.
    QJsonObject wide{{u"__musubi_store_id__"_s, QJsonArray()}};
    QJsonArray items;
    for (int i = 0; i < 100000; ++i) {
        wide.insert(u"k%1"_s.arg(i), i);
        if (i < 10000)
            items.append(QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"c%1"_s.arg(i)}}});
    }
    wide.insert(u"children"_s, items);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(envelope(0, {op(u"replace"_s, QString(), wide)})));
    QCOMPARE(tree.storeIds().size(), 10001);
    QCOMPARE(tree.rootStore()->value(u"k99999"_s).toInt(), 99999);
    QVERIFY(!tree.apply(envelope(1, {op(u"replace"_s, u"/children"_s, QJsonArray())})));
    QCOMPARE(tree.storeIds().size(), 1);
}

QTEST_GUILESS_MAIN(tst_Limits)
#include "tst_limits.moc"

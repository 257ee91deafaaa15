// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The demo stores (issue 8) as a client sees them: each store is mounted over
// a real loopback WebSocket with both wire profiles and every command is run.

#include <musubiasync.h>
#include <musubicommanderror.h>
#include <musubiconnection.h>
#include <musubidemostores.h>
#include <musubiroot.h>
#include <musubistore.h>
#include <musubistorelistmodel.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubitestserver.h>
#include <musubiteststore.h>

#include <QtCore/QDateTime>
#include <QtCore/QPointer>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

std::optional<QJsonValue> replyOf(QFuture<QJsonValue> future, QString *errorCode = nullptr)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 5000))
        return std::nullopt;
    try {
        return future.result();
    } catch (const MusubiCommandError &error) {
        if (errorCode)
            *errorCode = error.code();
    }
    return std::nullopt;
}

QVariantMap asyncOf(const MusubiStore *store, const QString &key)
{
    return store ? store->value(key).toMap() : QVariantMap();
}

} // namespace

class tst_DemoStores : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void modules();
    void counter_data();
    void counter();
    void chat_data();
    void chat();
    void chatLimit_data();
    void chatLimit();
    void chatRoom_data();
    void chatRoom();
    void todos_data();
    void todos();
    void profile_data();
    void profile();

private:
    void addProtocols();
    //! Mounts \a module on a fresh connection and waits until it is live.
    MusubiRoot *mount(const QString &module, const QVariantMap &params = {});

    std::unique_ptr<MusubiTestServer> m_server;
    std::unique_ptr<MusubiConnection> m_connection;
    std::unique_ptr<MusubiRoot> m_root;
};

void tst_DemoStores::init()
{
    m_server = std::make_unique<MusubiTestServer>();
    registerDemoStores(m_server.get());
    QVERIFY(m_server->listen());
    m_connection = std::make_unique<MusubiConnection>();
    m_connection->setUrl(m_server->url());
}

void tst_DemoStores::cleanup()
{
    m_root.reset();
    m_connection.reset();
    m_server.reset();
}

void tst_DemoStores::addProtocols()
{
    QTest::addColumn<MusubiConnection::Protocol>("protocol");
    QTest::newRow("shared channel") << MusubiConnection::Protocol::SharedChannel;
    QTest::newRow("per-root channels") << MusubiConnection::Protocol::PerRootChannel;
}

MusubiRoot *tst_DemoStores::mount(const QString &module, const QVariantMap &params)
{
    QFETCH(MusubiConnection::Protocol, protocol);
    m_connection->setProtocol(protocol);
    m_root = std::make_unique<MusubiRoot>(m_connection.get(), module, u"test"_s, params);
    m_root->mount();
    if (!QTest::qWaitFor([&] { return m_root->status() == MusubiRoot::Status::Live; }, 5000))
        return nullptr;
    return m_root.get();
}

void tst_DemoStores::modules()
{
    QCOMPARE(demoStoreModules(),
             QStringList({u"Demo.CounterStore"_s, u"Demo.ChatStore"_s, u"Demo.TodoStore"_s,
                          u"Demo.ProfileStore"_s}));
    QStringList registered = m_server->registeredModules();
    registered.sort();
    QStringList expected = demoStoreModules();
    expected.sort();
    QCOMPARE(registered, expected);
}

void tst_DemoStores::counter_data()
{
    addProtocols();
}

void tst_DemoStores::counter()
{
    MusubiRoot *root = mount(u"Demo.CounterStore"_s, {{u"count"_s, 5}});
    QVERIFY(root);
    MusubiStore *store = root->store();
    QCOMPARE(store->value(u"count"_s).toInt(), 5);

    // increment replies nothing; the count arrives with the patch.
    const auto reply = replyOf(root->dispatch({}, u"increment"_s, {{u"amount"_s, 3}}));
    QVERIFY(reply);
    QCOMPARE(reply->toObject(), QJsonObject());
    QTRY_COMPARE(store->value(u"count"_s).toInt(), 8);
    QVERIFY(replyOf(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(store->value(u"count"_s).toInt(), 9);
    QVERIFY(replyOf(root->dispatch({}, u"increment"_s, {{u"amount"_s, -4}})));
    QTRY_COMPARE(store->value(u"count"_s).toInt(), 5);
    QVERIFY(replyOf(root->dispatch({}, u"reset"_s)));
    QTRY_COMPARE(store->value(u"count"_s).toInt(), 0);

    QString code;
    QVERIFY(!replyOf(root->dispatch({}, u"increment"_s, {{u"amount"_s, u"two"_s}}), &code));
    QCOMPARE(code, u"invalid_amount"_s);
}

void tst_DemoStores::chat_data()
{
    addProtocols();
}

void tst_DemoStores::chat()
{
    MusubiRoot *root = mount(u"Demo.ChatStore"_s, {{u"title"_s, u"Room 7"_s}});
    QVERIFY(root);
    MusubiStore *store = root->store();
    QCOMPARE(store->value(u"title"_s).toString(), u"Room 7"_s);
    MusubiStreamModel *messages = root->storeTree()->stream({}, u"messages"_s);
    QVERIFY(messages);
    QAbstractItemModelTester tester(messages);
    QTRY_COMPARE(messages->count(), 2); // the seeded welcome messages

    QList<QJsonValue> events;
    root->handleEvent({}, u"message_sent"_s, this,
                      [&events](const QJsonValue &payload) { events.append(payload); });
    const auto reply = replyOf(
            root->dispatch({}, u"send"_s, {{u"author"_s, u"ada"_s}, {u"body"_s, u" hello "_s}}));
    QVERIFY(reply);
    const QString id = reply->toObject().value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE(messages->count(), 3);
    const QJsonObject last = messages->itemAt(2).toObject();
    QCOMPARE(last.value(u"id"_s).toString(), id);
    QCOMPARE(last.value(u"author"_s).toString(), u"ada"_s);
    QCOMPARE(last.value(u"body"_s).toString(), u"hello"_s);
    QVERIFY(QDateTime::fromString(last.value(u"at"_s).toString(), Qt::ISODateWithMs).isValid());
    QCOMPARE(messages->keyAt(2), id);
    QTRY_COMPARE(events.size(), 1);
    QCOMPARE(events.constFirst().toObject(), QJsonObject({{u"id"_s, id}}));

    // An empty (or blank) body is refused, and nothing is appended or announced.
    for (const QString &body : {QString(), u"   "_s}) {
        QString code;
        QVERIFY(!replyOf(
                root->dispatch({}, u"send"_s, {{u"author"_s, u"ada"_s}, {u"body"_s, body}}),
                &code));
        QCOMPARE(code, u"empty_body"_s);
    }
    QCOMPARE(messages->count(), 3);
    QCOMPARE(events.size(), 1);
}

void tst_DemoStores::chatLimit_data()
{
    addProtocols();
}

void tst_DemoStores::chatLimit()
{
    MusubiRoot *root = mount(u"Demo.ChatStore"_s, {{u"seed"_s, false}});
    QVERIFY(root);
    MusubiStreamModel *messages = root->storeTree()->stream({}, u"messages"_s);
    QVERIFY(messages);
    QCOMPARE(messages->count(), 0);

    // Newest appended; beyond 200 the oldest go.
    const int sent = 205;
    QFuture<QJsonValue> last;
    for (int i = 1; i <= sent; ++i) {
        last = root->dispatch({}, u"send"_s,
                              {{u"author"_s, u"bot"_s}, {u"body"_s, u"message %1"_s.arg(i)}});
    }
    QVERIFY(replyOf(last));
    QTRY_COMPARE(messages->keyAt(messages->count() - 1), u"msg-%1"_s.arg(sent));
    QCOMPARE(messages->count(), 200);
    QCOMPARE(messages->keyAt(0), u"msg-%1"_s.arg(sent - 199));
    QCOMPARE(messages->itemAt(199).toObject().value(u"body"_s).toString(),
             u"message %1"_s.arg(sent));
}

void tst_DemoStores::chatRoom_data()
{
    addProtocols();
}

void tst_DemoStores::chatRoom()
{
    // Three clients on their own sockets: ada and bob in room "r1", cy in "r2".
    QFETCH(MusubiConnection::Protocol, protocol);
    struct Client
    {
        std::unique_ptr<MusubiConnection> connection;
        std::unique_ptr<MusubiRoot> root;
        MusubiStreamModel *messages = nullptr;
    };
    const auto join = [&](const QString &room) {
        Client client;
        client.connection = std::make_unique<MusubiConnection>();
        client.connection->setUrl(m_server->url());
        client.connection->setProtocol(protocol);
        client.root =
                std::make_unique<MusubiRoot>(client.connection.get(), u"Demo.ChatStore"_s, room);
        client.root->mount();
        if (QTest::qWaitFor([&] { return client.root->status() == MusubiRoot::Status::Live; },
                            5000))
            client.messages = client.root->storeTree()->stream({}, u"messages"_s);
        return client;
    };
    const auto bodies = [](const Client &client) {
        QStringList out;
        for (int i = 0; client.messages && i < client.messages->count(); ++i)
            out.append(client.messages->itemAt(i).toObject().value(u"body"_s).toString());
        return out;
    };
    const auto send = [](const Client &client, const QString &body) {
        const auto reply = replyOf(
                client.root->dispatch({}, u"send"_s, {{u"author"_s, u"t"_s}, {u"body"_s, body}}));
        return reply ? reply->toObject().value(u"id"_s).toString() : QString();
    };

    Client ada = join(u"r1"_s);
    Client bob = join(u"r1"_s);
    Client cy = join(u"r2"_s);
    QVERIFY(ada.messages && bob.messages && cy.messages);
    QAbstractItemModelTester tester(bob.messages);
    QTRY_COMPARE(ada.messages->count(), 2); // the room's welcome messages
    QTRY_COMPARE(bob.messages->count(), 2);
    QTRY_COMPARE(cy.messages->count(), 2);
    const QStringList welcome = bodies(ada);
    QVERIFY(welcome.last().contains(u"every client in this room sees it"_s));

    // What ada says, bob sees (same id), and cy in the other room does not.
    QList<QJsonValue> bobEvents;
    bob.root->handleEvent({}, u"message_sent"_s, this,
                          [&bobEvents](const QJsonValue &payload) { bobEvents.append(payload); });
    QCOMPARE(send(ada, u"hi bob"_s), u"msg-3"_s);
    QTRY_COMPARE(bodies(bob), welcome + QStringList{u"hi bob"_s});
    QCOMPARE(bob.messages->keyAt(2), u"msg-3"_s);
    QCOMPARE(bodies(ada), welcome + QStringList{u"hi bob"_s});

    // And back: ids are counted per room, so they never collide.
    QCOMPARE(send(bob, u"hi ada"_s), u"msg-4"_s);
    QTRY_COMPARE(bodies(ada), welcome + QStringList({u"hi bob"_s, u"hi ada"_s}));
    QCOMPARE(ada.messages->keyAt(3), u"msg-4"_s);
    QTRY_COMPARE(bodies(bob), welcome + QStringList({u"hi bob"_s, u"hi ada"_s}));
    QCOMPARE(bobEvents.size(), 1); // message_sent goes to the sender only

    // Room r2 has its own messages and counter.
    QCOMPARE(send(cy, u"anyone?"_s), u"msg-3"_s);
    QTRY_COMPARE(bodies(cy), welcome + QStringList{u"anyone?"_s});

    // A late joiner (or a remount after a reconnect) gets the room's messages first.
    Client dee = join(u"r1"_s);
    QVERIFY(dee.messages);
    QTRY_COMPARE(bodies(dee), welcome + QStringList({u"hi bob"_s, u"hi ada"_s}));
    QCOMPARE(send(dee, u"hello all"_s), u"msg-5"_s);
    QTRY_COMPARE(bodies(ada).size(), 5);
    QTRY_COMPARE(bodies(bob).size(), 5);
    QCOMPARE(bodies(bob).last(), u"hello all"_s);
    QCOMPARE(bodies(cy), welcome + QStringList{u"anyone?"_s});
}

void tst_DemoStores::todos_data()
{
    addProtocols();
}

void tst_DemoStores::todos()
{
    MusubiRoot *root = mount(u"Demo.TodoStore"_s);
    QVERIFY(root);
    MusubiStore *store = root->store();
    const auto todoIds = [store] {
        QStringList ids;
        const auto *todos =
                qobject_cast<MusubiStoreListModel *>(store->value(u"todos"_s).value<QObject *>());
        for (int row = 0; todos && row < todos->count(); ++row) {
            const MusubiStore *child = todos->get(row);
            ids.append(child ? child->storeIdList().join(u'/') : u"?"_s);
        }
        return ids;
    };
    QCOMPARE(todoIds(), QStringList({u"todos/1"_s, u"todos/2"_s, u"todos/3"_s}));
    MusubiStore *second = root->store(QJsonArray{u"todos"_s, u"2"_s});
    QVERIFY(second);
    QCOMPARE(second->value(u"title"_s).toString(), u"Bind a QML view to a stream"_s);
    QCOMPARE(second->value(u"done"_s).toBool(), false);

    // stats: loading after a change, then ok with the counts.
    const auto statsAre = [store](int total, int done) {
        const QVariantMap stats = asyncOf(store, u"stats"_s);
        const QVariantMap data = stats.value(u"data"_s).toMap();
        return MusubiAsync::statusOf(stats) == MusubiAsync::Status::Ok
                && data.value(u"total"_s).toInt() == total && data.value(u"done"_s).toInt() == done
                && data.value(u"open"_s).toInt() == total - done;
    };
    QTRY_VERIFY(statsAre(3, 1));

    const auto added = replyOf(root->dispatch({}, u"add"_s, {{u"title"_s, u"Write a test"_s}}));
    QVERIFY(added);
    const QString newId = added->toObject().value(u"id"_s).toString();
    QCOMPARE(newId, u"4"_s);
    QTRY_COMPARE(todoIds().size(), 4);
    QCOMPARE(asyncOf(store, u"stats"_s).value(u"status"_s).value<MusubiAsync::Status>(),
             MusubiAsync::Status::Loading);
    QCOMPARE(MusubiAsync::statusOf(store->value(u"stats"_s)), MusubiAsync::Status::Loading);
    QTRY_VERIFY(statsAre(4, 1));

    // toggle and remove are commands of the child store.
    QVERIFY(replyOf(root->dispatch({u"todos"_s, u"2"_s}, u"toggle"_s)));
    QTRY_COMPARE(second->value(u"done"_s).toBool(), true);
    QTRY_VERIFY(statsAre(4, 2));
    QVERIFY(replyOf(second->dispatch(u"toggle"_s)));
    QTRY_COMPARE(second->value(u"done"_s).toBool(), false);
    QTRY_VERIFY(statsAre(4, 1));

    QPointer<MusubiStore> removed = root->store(QJsonArray{u"todos"_s, u"1"_s});
    QVERIFY(removed);
    QVERIFY(replyOf(root->dispatch({u"todos"_s, u"1"_s}, u"remove"_s)));
    QTRY_COMPARE(todoIds(), QStringList({u"todos/2"_s, u"todos/3"_s, u"todos/4"_s}));
    QTRY_VERIFY(!root->store(QJsonArray{u"todos"_s, u"1"_s}));
    QTRY_VERIFY(statsAre(3, 0));
    QTRY_VERIFY(m_server->mountedRoot(root->rootId())->childStores().size() == 3);

    QString code;
    QVERIFY(!replyOf(root->dispatch({}, u"add"_s, {{u"title"_s, u" "_s}}), &code));
    QCOMPARE(code, u"empty_title"_s);
    QVERIFY(!replyOf(root->dispatch({u"todos"_s, u"1"_s}, u"toggle"_s), &code));
}

void tst_DemoStores::profile_data()
{
    addProtocols();
}

void tst_DemoStores::profile()
{
    MusubiRoot *root = mount(u"Demo.ProfileStore"_s);
    QVERIFY(root);
    MusubiStore *store = root->store();
    QCOMPARE(store->value(u"name"_s).toString(), u"Ada Lovelace"_s);
    QVERIFY(store->value(u"saved_at"_s).isNull());

    // The avatar upload is declared: .png/.jpg, one file, 1 MB.
    QVERIFY(root->storeTree()->upload({}, u"avatar"_s));
    MusubiTestStore *serverStore = m_server->mountedRoot(root->rootId());
    QVERIFY(serverStore);
    QVERIFY(serverStore->hasUpload(u"avatar"_s));
    const MusubiTestUploadConfig config = serverStore->uploadConfig(u"avatar"_s);
    QCOMPARE(config.accept, QStringList({u".png"_s, u".jpg"_s}));
    QCOMPARE(config.maxEntries, 1);
    QCOMPARE(config.maxFileSize, qint64(1000000));

    const auto reply = replyOf(root->dispatch(
            {}, u"save"_s, {{u"name"_s, u"Grace Hopper"_s}, {u"bio"_s, u"Admiral"_s}}));
    QVERIFY(reply);
    QCOMPARE(reply->toObject().value(u"saved"_s).toBool(), true);
    QVERIFY(reply->toObject().value(u"avatar"_s).isNull()); // no uploaded entry to consume
    QTRY_COMPARE(store->value(u"name"_s).toString(), u"Grace Hopper"_s);
    QCOMPARE(store->value(u"bio"_s).toString(), u"Admiral"_s);
    QVERIFY(!store->value(u"saved_at"_s).toString().isEmpty());

    QString code;
    QVERIFY(!replyOf(root->dispatch({}, u"save"_s, {{u"name"_s, u""_s}}), &code));
    QCOMPARE(code, u"empty_name"_s);
}

QTEST_GUILESS_MAIN(tst_DemoStores)
#include "tst_demostores.moc"

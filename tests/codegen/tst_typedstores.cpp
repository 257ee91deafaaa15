// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The code musubi-codegen writes for tests/codegen/manifest (Typed.Inbox, Typed.Message,
// Typed.Price; namespace Fixture), compiled and run against the test server over a
// real loopback WebSocket, in both wire profiles.

#include "typedfixture.h"

#include <typedstores.h>

#include <musubicommanderror.h>
#include <musubiconnection.h>

#include <QtCore/QJsonArray>
#include <QtTest/QSignalSpy>
#include <QtTest/QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using Fixture::Typed::Inbox;
using Fixture::Typed::InboxRoot;
using Fixture::Typed::Message;

namespace {

// Counts warnings of category musubi.codegen.
QStringList g_codegenWarnings;
QtMessageHandler g_previousHandler = nullptr;
void countWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && context.category
        && qstrcmp(context.category, "musubi.codegen") == 0)
        g_codegenWarnings.append(message);
    g_previousHandler(type, context, message);
}

} // namespace

class tst_TypedStores : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void fields_data();
    void fields();
    void typedParams();
    void notifyOnlyTheChangedField_data();
    void notifyOnlyTheChangedField();
    void childChangeDoesNotNotifyParent();
    void enumsRoundTrip();
    void commandsWithReplies();
    void commandErrors();
    void optionalArgumentLeftOut();
    void events();
    void listOfChildStores();
    void streams();
    void asyncValues();
    void driftWarnsOnceAndReadsDefault();
    void viewsDieWithTheirStores();

private:
    Inbox *mount(MusubiConnection::Protocol protocol = MusubiConnection::Protocol::PerRootChannel,
                 const QVariantMap &params = {});

    std::unique_ptr<TypedFixture> m_fixture;
    std::unique_ptr<MusubiConnection> m_connection;
    std::unique_ptr<InboxRoot> m_root;
};

void tst_TypedStores::initTestCase()
{
    g_previousHandler = qInstallMessageHandler(countWarnings);
}

void tst_TypedStores::init()
{
    g_codegenWarnings.clear();
    m_fixture = std::make_unique<TypedFixture>();
}

void tst_TypedStores::cleanup()
{
    m_root.reset();
    m_connection.reset();
    m_fixture.reset();
}

Inbox *tst_TypedStores::mount(MusubiConnection::Protocol protocol, const QVariantMap &params)
{
    m_connection = std::make_unique<MusubiConnection>();
    m_connection->setUrl(m_fixture->url());
    m_connection->setProtocol(protocol);
    m_connection->open();
    m_root = std::make_unique<InboxRoot>(m_connection.get(), u"inbox-1"_s, params);
    QSignalSpy stateChanged(m_root.get(), &InboxRoot::stateChanged);
    m_root->mount();
    [&] {
        QTRY_VERIFY(m_root->state() && m_root->isReady());
    }();
    if (!m_root->state() || stateChanged.isEmpty())
        return nullptr; // the caller's QVERIFY fails: no state, or no stateChanged()
    return m_root->state();
}

void tst_TypedStores::fields_data()
{
    QTest::addColumn<MusubiConnection::Protocol>("protocol");
    QTest::newRow("shared") << MusubiConnection::Protocol::SharedChannel;
    QTest::newRow("per-root") << MusubiConnection::Protocol::PerRootChannel;
}

void tst_TypedStores::fields()
{
    QFETCH(MusubiConnection::Protocol, protocol);
    Inbox *inbox = mount(protocol);
    QVERIFY(inbox);
    QCOMPARE(m_root->module(), u"Typed.Inbox"_s);
    QCOMPARE(Inbox::moduleName(), u"Typed.Inbox"_s);
    QCOMPARE(inbox->title(), u"Inbox"_s);
    QCOMPARE(inbox->unreadCount(), 2);
    QCOMPARE(inbox->ratio(), 0.5);
    QCOMPARE(inbox->muted(), false);
    QCOMPARE(inbox->filter(), Inbox::Filter::All);
    QVERIFY(!inbox->note().has_value());
    QVERIFY(inbox->property("note").isNull());
    QVERIFY(inbox->priority().has_value());
    QCOMPARE(*inbox->priority(), Inbox::Priority::High);
    QCOMPARE(inbox->tags(), QStringList({u"a"_s, u"b"_s}));
    QCOMPARE(inbox->scores(), QList<qint64>({1, 2, 3}));
    QCOMPARE(inbox->property("scores").toList().size(), 3);
    QCOMPARE(inbox->shipping().speed, Fixture::Typed::InboxShipping::Speed::Express);
    QCOMPARE(inbox->shipping().gift, true);
    QCOMPARE(inbox->meta().value(u"k"_s).toInt(), 1);
    QCOMPARE(inbox->extra(), QJsonValue(QJsonArray{1, u"x"_s}));
    QCOMPARE(inbox->price().amount, 1250);
    QCOMPARE(inbox->price().currency, u"EUR"_s);
    QVERIFY(inbox->featured());
    QCOMPARE(inbox->featured()->subject(), u"Pinned"_s);
    QCOMPARE(inbox->featured(), inbox->featured()); // one view per store
    QCOMPARE(inbox->messages()->count(), 2);
    QCOMPARE(inbox->messages()->at<Message>(1)->subject(), u"Subject m2"_s);
    QCOMPARE(inbox->messages()->at<Message>(0)->subject(), u"Subject m1"_s);
    QCOMPARE(inbox->messages()->at<Message>(0), inbox->messages()->at<Message>(0));
    QVERIFY(inbox->log());
    QCOMPARE(inbox->log()->count(), 0);
    QCOMPARE(inbox->totals().status, MusubiAsync::Status::Loading);
    QVERIFY(!inbox->totals().result.has_value());
    QCOMPARE(inbox->history().status, MusubiAsync::Status::Ok);
    QVERIFY(inbox->history().result);
    QCOMPARE(inbox->class_(), u"primary"_s);
    QVERIFY(inbox->attachment());
    QCOMPARE(inbox->attachment()->name(), u"attachment"_s);
    // What the types do not declare stays in the untyped store.
    QCOMPARE(inbox->store()->value(u"undeclared"_s).toString(), u"only in the untyped store"_s);
    QVERIFY(g_codegenWarnings.isEmpty());
}

void tst_TypedStores::typedParams()
{
    m_connection = std::make_unique<MusubiConnection>();
    m_connection->setUrl(m_fixture->url());
    m_connection->open();
    Inbox::Params params;
    params.folder = u"Work"_s;
    QCOMPARE(params.toVariantMap(), QVariantMap({{u"folder"_s, u"Work"_s}})); // limit left out
    params.limit = 10;
    QCOMPARE(params.toVariantMap().value(u"limit"_s).toInt(), 10);
    m_root = std::make_unique<InboxRoot>(m_connection.get(), u"inbox-2"_s, params);
    QCOMPARE(m_root->params().value(u"folder"_s).toString(), u"Work"_s);
    m_root->mount();
    QTRY_VERIFY(m_root->state());
    QTRY_COMPARE(m_root->state()->title(), u"Work"_s);
}

void tst_TypedStores::notifyOnlyTheChangedField_data()
{
    QTest::addColumn<QString>("wire");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QByteArray>("property");
    QTest::newRow("integer") << u"unread_count"_s << QJsonValue(7) << QByteArray("unreadCount");
    QTest::newRow("string") << u"title"_s << QJsonValue(u"Later"_s) << QByteArray("title");
    QTest::newRow("optional") << u"note"_s << QJsonValue(u"hi"_s) << QByteArray("note");
    QTest::newRow("enum") << u"filter"_s << QJsonValue(u"unread"_s) << QByteArray("filter");
    QTest::newRow("map") << u"shipping"_s
                         << QJsonValue(QJsonObject{{u"speed"_s, u"standard"_s}, {u"gift"_s, true}})
                         << QByteArray("shipping");
    QTest::newRow("list") << u"scores"_s << QJsonValue(QJsonArray{4}) << QByteArray("scores");
    QTest::newRow("keyword") << u"class"_s << QJsonValue(u"secondary"_s) << QByteArray("class_");
    QTest::newRow("child") << u"featured"_s << QJsonValue(false) << QByteArray("featured");
}

void tst_TypedStores::notifyOnlyTheChangedField()
{
    QFETCH(QString, wire);
    QFETCH(QJsonValue, value);
    QFETCH(QByteArray, property);
    Inbox *inbox = mount();
    QVERIFY(inbox);
    // A spy on every NOTIFY signal of the view.
    const QMetaObject *meta = inbox->metaObject();
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    QList<QByteArray> names;
    for (int i = meta->propertyOffset(); i < meta->propertyCount(); ++i) {
        const QMetaProperty p = meta->property(i);
        if (p.isConstant())
            continue; // a command (a JavaScript function for QML)
        QVERIFY2(p.hasNotifySignal(), p.name());
        spies.push_back(std::make_unique<QSignalSpy>(inbox, p.notifySignal()));
        names.append(p.name());
    }
    QVERIFY(names.contains(property));
    QSignalSpy changed(inbox, &MusubiTypedStore::changed);
    const QVariant before = inbox->property(property.constData());
    m_fixture->setField(wire, value);
    QVERIFY(changed.wait());
    for (qsizetype i = 0; i < names.size(); ++i)
        QCOMPARE(names.at(i) + ':' + QByteArray::number(spies.at(i)->count()),
                 names.at(i) + ':' + QByteArray::number(names.at(i) == property ? 1 : 0));
    QVERIFY(inbox->property(property.constData()) != before);
    // The same value again: nothing.
    m_fixture->setField(wire, value);
    m_fixture->setField(u"unread_count"_s, wire == u"unread_count"_s ? 8 : 9);
    QTRY_COMPARE(spies.at(names.indexOf("unreadCount"))->count(), 1 + (wire == u"unread_count"_s));
    QCOMPARE(spies.at(names.indexOf(property))->count(), property == "unreadCount" ? 2 : 1);
}

void tst_TypedStores::childChangeDoesNotNotifyParent()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    Message *m1 = inbox->featured();
    QVERIFY(m1);
    QSignalSpy featured(inbox, &Inbox::featuredChanged);
    QSignalSpy messages(inbox, &Inbox::messagesChanged);
    QSignalSpy parentChanged(inbox, &MusubiTypedStore::changed);
    QSignalSpy subject(m1, &Message::subjectChanged);
    QSignalSpy read(m1, &Message::readChanged);
    m_fixture->setMessageField(u"featured"_s, u"subject"_s, u"Renamed"_s);
    QVERIFY(subject.wait());
    QCOMPARE(m1->subject(), u"Renamed"_s);
    QCOMPARE(read.count(), 0);
    QCOMPARE(featured.count(), 0);
    QCOMPARE(messages.count(), 0);
    QCOMPARE(parentChanged.count(), 0);
}

void tst_TypedStores::enumsRoundTrip()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    QSignalSpy filterChanged(inbox, &Inbox::filterChanged);
    QFuture<void> done = inbox->setFilter(Inbox::Filter::NeedsReview);
    QTRY_VERIFY(done.isFinished());
    QTRY_COMPARE(inbox->filter(), Inbox::Filter::NeedsReview);
    QCOMPARE(filterChanged.count(), 1);
    // The wire keeps the atom's own spelling.
    QCOMPARE(inbox->store()->value(u"filter"_s).toString(), u"needs-review"_s);
    QCOMPARE(Fixture::Typed::musubiToJson(Inbox::Filter::NeedsReview),
             QJsonValue(u"needs-review"_s));
    QCOMPARE(QMetaEnum::fromType<Inbox::Filter>().keyCount(), 3);
}

void tst_TypedStores::commandsWithReplies()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    QFuture<Inbox::MarkReadReply> reply = inbox->markRead(u"m2"_s);
    QTRY_VERIFY(reply.isFinished());
    QCOMPARE(reply.result().count, 1);
    QTRY_COMPARE(inbox->unreadCount(), 1);
    QTRY_COMPARE(inbox->messages()->at<Message>(1)->read(), true);
    // A child's command.
    Message *m1 = inbox->messages()->at<Message>(0);
    QFuture<void> toggled = m1->toggle();
    QTRY_VERIFY(toggled.isFinished());
    QTRY_COMPARE(m1->read(), true);
    // A command with an async effect.
    QFuture<void> refreshed = inbox->refresh();
    QTRY_COMPARE(inbox->totals().status, MusubiAsync::Status::Ok);
    QVERIFY(refreshed.isFinished());
    QCOMPARE(inbox->totals().result->sum, 42);
}

void tst_TypedStores::commandErrors()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    QFuture<void> failed = inbox->fail();
    QTRY_VERIFY(failed.isFinished());
    try {
        failed.waitForFinished();
        QFAIL("fail() must fail");
    } catch (const MusubiCommandError &error) {
        QCOMPARE(error.kind(), MusubiCommandError::Kind::Failed);
        QCOMPARE(error.code(), u"nope"_s);
    }
    QFuture<Inbox::MarkReadReply> missing = inbox->markRead(u"nobody"_s);
    QTRY_VERIFY(missing.isFinished());
    QVERIFY_THROWS_EXCEPTION(MusubiCommandError, missing.result());
}

void tst_TypedStores::optionalArgumentLeftOut()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    QFuture<void> named = inbox->rename(u"New"_s, u"with a note"_s);
    QTRY_COMPARE(inbox->title(), u"New"_s);
    QCOMPARE(inbox->note().value_or(QString()), u"with a note"_s);
    QSignalSpy noteChanged(inbox, &Inbox::noteChanged);
    QFuture<void> bare = inbox->rename(u"Newer"_s, std::nullopt);
    QTRY_COMPARE(inbox->title(), u"Newer"_s);
    QCOMPARE(inbox->note().value_or(QString()), u"(left out)"_s); // the key was not sent
    QCOMPARE(noteChanged.count(), 1);
}

void tst_TypedStores::events()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    QSignalSpy newMail(inbox, &Inbox::newMail);
    QSignalSpy cleared(inbox, &Inbox::cleared);
    m_fixture->pushEvent(u"new_mail"_s,
                         QJsonObject{{u"subject"_s, u"Hi"_s}, {u"from"_s, u"ada"_s}});
    QVERIFY(newMail.wait());
    const auto payload = newMail.first().first().value<Inbox::NewMailPayload>();
    QCOMPARE(payload.subject, u"Hi"_s);
    QCOMPARE(payload.from, u"ada"_s);
    m_fixture->pushEvent(u"cleared"_s, QJsonObject());
    QVERIFY(cleared.wait());
    QCOMPARE(newMail.count(), 1);
    // An event the types do not know reaches the untyped store only.
    QSignalSpy untyped(inbox->store(), &MusubiStore::eventReceived);
    m_fixture->pushEvent(u"surprise"_s, QJsonObject());
    QVERIFY(untyped.wait());
    QCOMPARE(newMail.count(), 1);
    QCOMPARE(cleared.count(), 1);
}

void tst_TypedStores::listOfChildStores()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    MusubiTypedStoreListModel *list = inbox->messages();
    QCOMPARE(list, inbox->messages());
    QSignalSpy inserted(list, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(list, &QAbstractItemModel::rowsRemoved);
    m_fixture->addMessage(u"m3"_s, u"Third"_s);
    QTRY_COMPARE(list->count(), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(list->at<Message>(0)->subject(), u"Third"_s);
    QCOMPARE(list->data(list->index(0, 0), MusubiStoreListModel::StoreRole).value<QObject *>(),
             list->get(0));
    QCOMPARE(list->storeIdAt(0), QJsonArray({u"messages"_s, u"m3"_s}));
    m_fixture->removeMessage(u"m1"_s);
    QTRY_COMPARE(list->count(), 2);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(list->indexOfStoreId(QJsonArray({u"messages"_s, u"m2"_s})), 1);
}

void tst_TypedStores::streams()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    MusubiStreamModel *log = inbox->log();
    QVERIFY(log);
    m_fixture->appendLog(u"l1"_s, u"first"_s);
    QTRY_COMPARE(log->count(), 1);
    QCOMPARE(log->itemAt(0).toObject().value(u"text"_s).toString(), u"first"_s);
    const QHash<int, QByteArray> roles = log->roleNames();
    QVERIFY(roles.values().contains("id"));
    QVERIFY(roles.values().contains("text"));
    QCOMPARE(inbox->log(), log);
}

void tst_TypedStores::asyncValues()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    QSignalSpy totalsChanged(inbox, &Inbox::totalsChanged);
    m_fixture->setTotals(5);
    QTRY_COMPARE(inbox->totals().status, MusubiAsync::Status::Ok);
    QCOMPARE(inbox->totals().result->sum, 5);
    QCOMPARE(totalsChanged.count(), 1);
    const QVariant qml = inbox->property("totals");
    QVERIFY(qml.isValid());
    m_fixture->setField(u"totals"_s, m_fixture->inbox()->asyncFailed(u"timeout"_s));
    QTRY_COMPARE(inbox->totals().status, MusubiAsync::Status::Failed);
    QCOMPARE(inbox->totals().reason, QJsonValue(u"timeout"_s));
}

void tst_TypedStores::driftWarnsOnceAndReadsDefault()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    QSignalSpy unreadChanged(inbox, &Inbox::unreadCountChanged);
    m_fixture->setField(u"unread_count"_s, u"many"_s);
    QVERIFY(unreadChanged.wait());
    QCOMPARE(inbox->unreadCount(), 0);
    QCOMPARE(inbox->unreadCount(), 0);
    QCOMPARE(inbox->property("unreadCount").toLongLong(), 0);
    QCOMPARE(g_codegenWarnings.size(), 1);
    QVERIFY2(g_codegenWarnings.first().contains(u"unread_count"_s),
             qPrintable(g_codegenWarnings.first()));
    // Everything else still reads.
    QCOMPARE(inbox->title(), u"Inbox"_s);
    QCOMPARE(inbox->store()->value(u"unread_count"_s).toString(), u"many"_s);
    // A wrong enum string and a wrong map member.
    QSignalSpy filterChanged(inbox, &Inbox::filterChanged);
    m_fixture->setField(u"filter"_s, u"archived"_s);
    QVERIFY(filterChanged.wait());
    QCOMPARE(g_codegenWarnings.size(), 1);
    QCOMPARE(inbox->filter(), Inbox::Filter::All);
    QCOMPARE(g_codegenWarnings.size(), 2);
    // Valid again, then wrong again: warned again.
    m_fixture->setField(u"unread_count"_s, 3);
    QTRY_COMPARE(inbox->unreadCount(), 3);
    m_fixture->setField(u"unread_count"_s, true);
    QTRY_COMPARE(unreadChanged.count(), 3);
    QCOMPARE(inbox->unreadCount(), 0);
    QCOMPARE(g_codegenWarnings.size(), 3);
    // A wrong event payload still emits, with defaults, and warns.
    QSignalSpy newMail(inbox, &Inbox::newMail);
    m_fixture->pushEvent(u"new_mail"_s, QJsonObject{{u"subject"_s, 1}});
    QVERIFY(newMail.wait());
    QCOMPARE(newMail.first().first().value<Inbox::NewMailPayload>().subject, QString());
    QCOMPARE(g_codegenWarnings.size(), 4);
}

void tst_TypedStores::viewsDieWithTheirStores()
{
    Inbox *inbox = mount();
    QVERIFY(inbox);
    const QPointer<Inbox> view(inbox);
    const QPointer<MusubiTypedStoreListModel> list(inbox->messages());
    const auto history = inbox->history();
    QVERIFY(history.result);
    m_root->unmount();
    QTRY_VERIFY(!view);
    QVERIFY(!list);
    // A copy of an async stream value does not keep a dangling model.
    QTRY_VERIFY(!history.result);
    QCOMPARE(m_root->state(), nullptr);
}

QTEST_MAIN(tst_TypedStores)
#include "tst_typedstores.moc"

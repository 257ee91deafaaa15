// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Demo.ProfileStore's avatar upload: `save` consumes the finished entry,
// sets avatar_url to the received file and the server's reset op empties
// the handle.
#include <musubiconnection.h>
#include <musubidemostores.h>
#include <musubiroot.h>
#include <musubistore.h>
#include <musubitestserver.h>
#include <musubiupload.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

class tst_DemoProfileUpload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void saveConsumesAvatar();
    void rejectsOtherTypes();

private:
    MusubiUpload *mount(MusubiTestServer &server, MusubiConnection &connection,
                        std::unique_ptr<MusubiRoot> &root);
};

MusubiUpload *tst_DemoProfileUpload::mount(MusubiTestServer &server, MusubiConnection &connection,
                                           std::unique_ptr<MusubiRoot> &root)
{
    registerDemoStores(&server);
    if (!server.listen())
        return nullptr;
    connection.setUrl(server.url());
    root = std::make_unique<MusubiRoot>(&connection, u"Demo.ProfileStore"_s, u"me"_s);
    root->mount();
    if (!QTest::qWaitFor([&] { return root->status() == MusubiRoot::Status::Live; }, 5000))
        return nullptr;
    return qobject_cast<MusubiUpload *>(root->store()->value(u"avatar"_s).value<QObject *>());
}

void tst_DemoProfileUpload::saveConsumesAvatar()
{
    MusubiTestServer server;
    MusubiConnection connection;
    std::unique_ptr<MusubiRoot> root;
    MusubiUpload *avatar = mount(server, connection, root);
    QVERIFY(avatar);
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(u"me.png"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(3000, 'p'));
    file.close();

    QSignalSpy preflight(avatar, &MusubiUpload::preflightFinished);
    avatar->select(QVariant(QVariantList{QUrl::fromLocalFile(path)}));
    QVERIFY(preflight.wait());
    QSignalSpy finished(avatar, &MusubiUpload::finished);
    avatar->start();
    QVERIFY(finished.wait());
    QCOMPARE(avatar->status(), MusubiUpload::Status::Succeeded);
    QTRY_COMPARE(avatar->entryModel()->rowCount(), 1);

    QFuture<QJsonValue> reply = root->dispatch({}, u"save"_s, {{u"name"_s, u"Ada"_s}});
    QTRY_VERIFY(reply.isFinished());
    const QString url = reply.result()[u"avatar"_s].toString();
    QVERIFY(url.startsWith(u"file:"_s));
    QFile received(QUrl(url).toLocalFile());
    QVERIFY(received.open(QIODevice::ReadOnly));
    QCOMPARE(received.readAll(), QByteArray(3000, 'p'));
    QTRY_COMPARE(root->store()->value(u"avatar_url"_s).toString(), url);
    QTRY_COMPARE(avatar->entryModel()->rowCount(), 0); // reset op: nothing left to consume
}

void tst_DemoProfileUpload::rejectsOtherTypes()
{
    MusubiTestServer server;
    MusubiConnection connection;
    std::unique_ptr<MusubiRoot> root;
    MusubiUpload *avatar = mount(server, connection, root);
    QVERIFY(avatar);
    QTRY_COMPARE(avatar->accept(), (QStringList{u".png"_s, u".jpg"_s}));
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(u"notes.txt"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("x");
    file.close();
    QSignalSpy preflight(avatar, &MusubiUpload::preflightFinished);
    avatar->selectFiles({path});
    QVERIFY(preflight.wait());
    QCOMPARE(avatar->status(), MusubiUpload::Status::Failed);
    QCOMPARE(avatar->rejected().at(0)[u"code"_s].toString(), u"not_accepted"_s);
}

QTEST_GUILESS_MAIN(tst_DemoProfileUpload)
#include "tst_demoprofileupload.moc"

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The widgets demo: its window against the embedded demo stores (rendered,
// counter follows the server, chat list on the stream model), and the
// executable's headless options.

#include "demoprocess.h"
#include "demotestutil.h"

#include <counterroot.h>
#include <demowindow.h>
#include <musubiconnection.h>
#include <musubidemostores.h>
#include <musubiinspectorwidget.h>
#include <musubistreammodel.h>
#include <musubitestserver.h>
#include <musubitrace.h>

#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtQml/QQmlEngine>
#include <QtQuick/QQuickItem>
#include <QtQuickWidgets/QQuickWidget>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

class tst_WidgetsDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void window();
    void counterRoot();
    void counterRootInitialCount();
    void unauthorized();
    void inspector();
    void inspectorNotFound();
    void executable_data();
    void executable();
};

void tst_WidgetsDemo::window()
{
    MusubiTestServer server;
    registerDemoStores(&server);
    QVERIFY(server.listen());
    MusubiConnection connection;
    connection.setUrl(server.url());
    DemoWindow window(&connection);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.isReady());

    auto *count = window.findChild<QLabel *>(u"countLabel"_s);
    QVERIFY(count);
    QTRY_COMPARE(count->text(), u"0"_s);
    const QImage before = window.grab().toImage();
    QVERIFY2(DemoTest::isRendered(before),
             qPrintable(u"%1 colours"_s.arg(DemoTest::distinctColors(before))));

    auto *increment = window.findChild<QPushButton *>(u"incrementButton"_s);
    QVERIFY(increment);
    QTest::mouseClick(increment, Qt::LeftButton);
    QTRY_COMPARE(count->text(), u"1"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"incrementTenButton"_s), Qt::LeftButton);
    QTRY_COMPARE(count->text(), u"11"_s);
    QCOMPARE(window.counter()->count(), 11);
    const QImage after = window.grab().toImage();
    QVERIFY(DemoTest::isRendered(after));
    QVERIFY(after != before);
    QTest::mouseClick(window.findChild<QPushButton *>(u"resetButton"_s), Qt::LeftButton);
    QTRY_COMPARE(count->text(), u"0"_s);

    // The chat list is the stream model itself.
    auto *chat = window.findChild<QListView *>(u"chatView"_s);
    QVERIFY(chat && chat->model());
    QCOMPARE(chat->model()->rowCount(), 2);
    auto *input = window.findChild<QLineEdit *>(u"messageInput"_s);
    QVERIFY(input);
    QTest::keyClicks(input, u"hello from a test"_s);
    QTest::mouseClick(window.findChild<QPushButton *>(u"sendButton"_s), Qt::LeftButton);
    QTRY_COMPARE(chat->model()->rowCount(), 3);
    QTRY_VERIFY(input->text().isEmpty());
    QCOMPARE(chat->model()
                     ->index(2, 0)
                     .data(MusubiStreamModel::ItemRole)
                     .toMap()
                     .value(u"body"_s)
                     .toString(),
             u"hello from a test"_s);
}

void tst_WidgetsDemo::counterRoot()
{
    MusubiTestServer server;
    registerDemoStores(&server);
    QVERIFY(server.listen());
    MusubiConnection connection;
    connection.setUrl(server.url());
    CounterRoot counter(&connection, u"typed"_s);
    QSignalSpy changed(&counter, &CounterRoot::countChanged);
    counter.mount();
    QTRY_COMPARE(counter.status(), MusubiRoot::Status::Live);
    QCOMPARE(counter.count(), 0);
    QCOMPARE(changed.size(), 0); // 0 is no change
    counter.increment(5);
    QTRY_COMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toInt(), 5);
    counter.increment();
    QTRY_COMPARE(counter.count(), 6);
    counter.reset();
    QTRY_COMPARE(counter.count(), 0);
    QCOMPARE(changed.size(), 3);
}

// CounterRoot refreshes from storesChangeEvent() alone: the first envelope lists the root
// store, and so does mount() of a second holder of a root that is already live.
void tst_WidgetsDemo::counterRootInitialCount()
{
    MusubiTestServer server;
    registerDemoStores(&server);
    QVERIFY(server.listen());
    MusubiConnection connection;
    connection.setUrl(server.url());
    CounterRoot counter(&connection, u"seeded"_s);
    counter.setParams({{u"count"_s, 7}});
    QSignalSpy changed(&counter, &CounterRoot::countChanged);
    counter.mount();
    QVERIFY(changed.wait());
    QCOMPARE(changed.at(0).at(0).toInt(), 7);
    QCOMPARE(counter.count(), 7);
    QCOMPARE(counter.status(), MusubiRoot::Status::Live);

    CounterRoot second(&connection, u"seeded"_s);
    QSignalSpy secondChanged(&second, &CounterRoot::countChanged);
    second.mount(); // shares the live mount: its state is new to this holder
    QCOMPARE(secondChanged.size(), 1);
    QCOMPARE(secondChanged.at(0).at(0).toInt(), 7);
    QCOMPARE(changed.size(), 1); // the first holder saw nothing new
}

// A refused token ends the reconnect loop; the window says so instead of "Connecting".
void tst_WidgetsDemo::unauthorized()
{
    MusubiTestServer server;
    registerDemoStores(&server);
    server.setRequiredToken(u"good"_s);
    QVERIFY(server.listen());
    MusubiConnection connection;
    connection.setUrl(server.url());
    connection.setParams({{u"token"_s, u"expired"_s}});
    DemoWindow window(&connection);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *status = window.findChild<QLabel *>(u"status"_s);
    QVERIFY(status);
    QTRY_COMPARE(connection.status(), MusubiConnection::Status::Unauthorized);
    QTRY_VERIFY2(status->text().startsWith(u"Not authorized: "_s), qPrintable(status->text()));
    QVERIFY2(status->text().contains(u"401"_s), qPrintable(status->text()));
    QVERIFY(!window.isReady());

    // With a good token, open() tries again and the window goes live.
    connection.setParams({{u"token"_s, u"good"_s}});
    connection.open();
    QTRY_VERIFY(window.isReady());
    QVERIFY2(status->text().startsWith(u"Live"_s), qPrintable(status->text()));
}

// The inspector opens from the window (button and F12) in a window of its own, shows the
// panel on the window's connection, and sees the commands the window sends.
void tst_WidgetsDemo::inspector()
{
    MusubiTestServer server;
    registerDemoStores(&server);
    QVERIFY(server.listen());
    MusubiConnection connection;
    connection.setUrl(server.url());
    DemoWindow window(&connection);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.isReady());
    QCOMPARE(window.inspector(), nullptr);
    QVERIFY(!connection.trace()->isListening()); // nothing is recorded until it opens

    QTest::mouseClick(window.findChild<QPushButton *>(u"inspectorButton"_s), Qt::LeftButton);
    MusubiInspectorWidget *inspector = window.inspector();
    QVERIFY(inspector);
    QVERIFY(inspector->isWindow());
    QVERIFY(QTest::qWaitForWindowExposed(inspector));
    QVERIFY2(inspector->isLoaded(), qPrintable(inspector->errorString()));
    QCOMPARE(inspector->connection(), &connection);
    QQuickItem *panel = inspector->inspector();
    QVERIFY(panel);
    QCOMPARE(panel->property("connection").value<MusubiConnection *>(), &connection);
    QVERIFY(connection.trace()->isListening());
    QTRY_VERIFY(DemoTest::isRendered(inspector->grab().toImage()));

    // A command from the window shows in the panel's command log.
    // The panel's command log (MusubiInspector.session.commands).
    auto *session = qvariant_cast<QObject *>(panel->property("session"));
    QVERIFY(session);
    auto *commands = qvariant_cast<QObject *>(session->property("commands"));
    QVERIFY(commands);
    const int before = commands->property("count").toInt();
    QTest::mouseClick(window.findChild<QPushButton *>(u"incrementButton"_s), Qt::LeftButton);
    QTRY_COMPARE(commands->property("count").toInt(), before + 1);

    // F12 (in the demo window) hides it again, and brings the same one back.
    window.activateWindow();
    QTest::keyClick(&window, Qt::Key_F12);
    QTRY_VERIFY(!inspector->isVisible());
    // Hidden, it lets go of the trace: nothing is recorded any more.
    QVERIFY(!connection.trace()->isListening());
    window.toggleInspector();
    QCOMPARE(window.inspector(), inspector);
    QTRY_VERIFY(inspector->isVisible());
    QVERIFY(connection.trace()->isListening());
}

// Without the QML module on the import path the widget says why instead of showing nothing.
void tst_WidgetsDemo::inspectorNotFound()
{
    MusubiConnection connection;
    MusubiInspectorWidget widget(&connection);
    widget.engine()->setImportPathList({});
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"The Musubi Inspector could not be loaded.*"_s));
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QVERIFY(!widget.isLoaded());
    QVERIFY(widget.inspector() == nullptr);
    QVERIFY2(widget.errorString().contains(u"Musubi.Inspector"_s),
             qPrintable(widget.errorString()));
    auto *error = widget.findChild<QLabel *>(u"inspectorError"_s);
    QVERIFY(error && error->isVisible());
    QCOMPARE(error->text(), widget.errorString());
    QVERIFY(!connection.trace()->isListening());
}

void tst_WidgetsDemo::executable_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("screenshot");
    QTest::newRow("--quit-after") << QStringList{u"--quit-after"_s, u"500"_s} << false;
    QTest::newRow("--screenshot") << QStringList{u"--quit-after"_s, u"30000"_s} << true;
    QTest::newRow("--inspector") << QStringList{u"--inspector"_s, u"--quit-after"_s, u"30000"_s}
                                 << true;
    QTest::newRow("--screenshot --protocol per-root")
            << QStringList{u"--protocol"_s, u"per-root"_s, u"--quit-after"_s, u"30000"_s} << true;
}

void tst_WidgetsDemo::executable()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, screenshot);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(u"widgets.png"_s);
    if (screenshot)
        arguments << u"--screenshot"_s << png;
    const auto result = DemoTest::runDemo(QStringLiteral(MUSUBI_WIDGETS_DEMO), arguments);
    QVERIFY2(result.finished, result.output.constData());
    QCOMPARE(result.status, QProcess::NormalExit);
    QVERIFY2(result.exitCode == 0, result.output.constData());
    if (screenshot) {
        const QImage image(png);
        QVERIFY2(DemoTest::isRendered(image), result.output.constData());
    }
}

QTEST_MAIN(tst_WidgetsDemo)
#include "tst_widgetsdemo.moc"

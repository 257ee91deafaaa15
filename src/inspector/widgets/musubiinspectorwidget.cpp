// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiinspectorwidget.h"

#include <musubiconnection.h>

#include <QtCore/QDir>
#include <QtCore/QLoggingCategory>
#include <QtGui/QKeySequence>
#include <QtGui/QShortcut>
#include <QtQml/QQmlEngine>
#include <QtQml/QQmlError>
#include <QtQuick/QQuickItem>
#include <QtQuickWidgets/QQuickWidget>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcMusubiInspectorWidget, "musubi.inspector.widget", QtInfoMsg)

/*!
    \class MusubiInspectorWidget
    \inmodule MusubiInspector
    \brief The Musubi Inspector panel in a widgets application: a QWidget that
    hosts the QML \c MusubiInspector of the module \c Musubi.Inspector.

    The panel shows the connection's roots, the live store tree of the
    selected root and the envelope, command and event logs (see
    \l{Inspecting a running app}). Put it in a dock or a splitter, or open it
    as a window of its own with toggleWindow():

    \code
    auto *inspector = new MusubiInspectorWidget(connection);
    inspector->resize(900, 600);
    inspector->show();

    // Or: F12 toggles it as a separate window.
    auto *f12 = new QShortcut(QKeySequence(Qt::Key_F12), mainWindow);
    QObject::connect(f12, &QShortcut::activated, mainWindow, [=] {
        MusubiInspectorWidget::toggleWindow(connection, mainWindow);
    });
    \endcode

    The QML is loaded when the widget is first shown (or inspector() is
    called), so an application can add import paths to engine() before. The
    module is found on the engine's import path: Qt's own QML directory when
    Musubi is installed there, the build tree's QML directory in the Musubi
    build, or \c QML_IMPORT_PATH. When it cannot be loaded the widget shows
    why, and errorString() says it too (category
    \c musubi.inspector.widget).

    Link \c Musubi::InspectorWidgets.
*/

namespace {

void addKnownImportPaths(QQmlEngine *engine)
{
#ifdef MUSUBI_INSPECTOR_QML_BUILD_DIR
    if (QDir(QStringLiteral(MUSUBI_INSPECTOR_QML_BUILD_DIR)).exists())
        engine->addImportPath(QStringLiteral(MUSUBI_INSPECTOR_QML_BUILD_DIR));
#endif
#ifdef MUSUBI_INSPECTOR_QML_INSTALL_DIR
    if (QDir(QStringLiteral(MUSUBI_INSPECTOR_QML_INSTALL_DIR)).exists())
        engine->addImportPath(QStringLiteral(MUSUBI_INSPECTOR_QML_INSTALL_DIR));
#endif
}

} // namespace

/*!
    Constructs an inspector widget with no connection, a child of \a parent.
*/
MusubiInspectorWidget::MusubiInspectorWidget(QWidget *parent)
    : QWidget(parent)
    , m_view(new QQuickWidget(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Musubi Inspector"));
    m_view->setObjectName(u"inspectorView"_s);
    m_view->setResizeMode(QQuickWidget::SizeRootObjectToView);
    m_view->setFocusPolicy(Qt::StrongFocus);
    addKnownImportPaths(m_view->engine());
    m_error->setObjectName(u"inspectorError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setMargin(12);
    m_error->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addWidget(m_error);
    resize(960, 640);
}

/*!
    Constructs an inspector widget of \a connection, a child of \a parent.
*/
MusubiInspectorWidget::MusubiInspectorWidget(MusubiConnection *connection, QWidget *parent)
    : MusubiInspectorWidget(parent)
{
    setConnection(connection);
}

/*!
    Destroys the widget and its panel; the connection is not touched.
*/
MusubiInspectorWidget::~MusubiInspectorWidget() = default;

/*!
    \property MusubiInspectorWidget::connection
    \brief the connection the panel inspects.

    The widget does not own it; when it is destroyed the panel shows nothing.
*/
MusubiConnection *MusubiInspectorWidget::connection() const
{
    return m_connection;
}

void MusubiInspectorWidget::setConnection(MusubiConnection *connection)
{
    if (m_connection == connection)
        return;
    m_connection = connection;
    if (m_inspector && isVisible())
        m_inspector->setProperty("connection", QVariant::fromValue(connection));
    Q_EMIT connectionChanged();
}

/*!
    Returns the QML engine of the panel, e.g. to add an import path before
    the widget is first shown.
*/
QQmlEngine *MusubiInspectorWidget::engine() const
{
    return m_view->engine();
}

/*!
    Returns the QQuickWidget that shows the panel.
*/
QQuickWidget *MusubiInspectorWidget::quickWidget() const
{
    return m_view;
}

/*!
    Returns the \c MusubiInspector item, loading it first if needed; null when
    it could not be loaded (see errorString()).
*/
QQuickItem *MusubiInspectorWidget::inspector()
{
    load();
    return m_inspector;
}

/*!
    \property MusubiInspectorWidget::loaded
    \brief whether the panel was loaded.
*/
bool MusubiInspectorWidget::isLoaded() const
{
    return m_inspector != nullptr;
}

/*!
    \property MusubiInspectorWidget::errorString
    \brief why the panel could not be loaded; empty otherwise.
*/
QString MusubiInspectorWidget::errorString() const
{
    return m_errorString;
}

/*!
    Shows the inspector of \a connection as a window of its own (owned by
    \a owner, closed with it), or hides it when it is visible: what an F12
    shortcut or a toolbar button calls. Returns the window.
*/
MusubiInspectorWidget *MusubiInspectorWidget::toggleWindow(MusubiConnection *connection,
                                                           QWidget *owner)
{
    const QString name = u"musubiInspectorWindow"_s;
    // One window per owner; without an owner, one for the application.
    static QPointer<MusubiInspectorWidget> ownerless;
    MusubiInspectorWidget *window = owner
            ? owner->findChild<MusubiInspectorWidget *>(name, Qt::FindDirectChildrenOnly)
            : ownerless.data();
    if (!window) {
        window = new MusubiInspectorWidget(connection, owner);
        window->setObjectName(name);
        window->setWindowFlag(Qt::Window);
        if (!owner) {
            window->setAttribute(Qt::WA_DeleteOnClose);
            ownerless = window;
        }
        // F12 in the inspector's window closes it again.
        auto *close = new QShortcut(QKeySequence(Qt::Key_F12), window);
        connect(close, &QShortcut::activated, window, &QWidget::close);
    } else {
        window->setConnection(connection);
    }
    if (window->isVisible()) {
        window->hide();
    } else {
        window->show();
        window->raise();
        window->activateWindow();
    }
    return window;
}

/*!
    \fn void MusubiInspectorWidget::loadedChanged()

    Emitted when the panel was loaded, or could not be (errorString()).
*/

/*!
    \fn void MusubiInspectorWidget::connectionChanged()

    Emitted when connection() changed.
*/

/*!
    \reimp
*/
void MusubiInspectorWidget::showEvent(QShowEvent *event)
{
    load();
    // Shown: the panel follows the connection's trace again (see hideEvent()).
    if (m_inspector)
        m_inspector->setProperty("connection", QVariant::fromValue(m_connection.data()));
    QWidget::showEvent(event);
}

/*!
    \reimp

    A hidden panel lets go of the connection, so that the runtime builds no
    trace records for it; its logs keep what they had.
*/
void MusubiInspectorWidget::hideEvent(QHideEvent *event)
{
    if (m_inspector)
        m_inspector->setProperty("connection", QVariant::fromValue<MusubiConnection *>(nullptr));
    QWidget::hideEvent(event);
}

void MusubiInspectorWidget::load()
{
    if (m_triedLoad)
        return;
    m_triedLoad = true;
    m_view->setSource(QUrl(u"qrc:/musubi/inspector/widgets/MusubiInspectorHost.qml"_s));
    auto *item = qobject_cast<QQuickItem *>(m_view->rootObject());
    if (!item || m_view->status() != QQuickWidget::Ready) {
        QStringList errors;
        const auto list = m_view->errors();
        for (const QQmlError &error : list)
            errors.append(error.toString());
        m_errorString = tr("The Musubi Inspector could not be loaded (is the QML module "
                           "Musubi.Inspector on the import path?)\n%1")
                                .arg(errors.join(u'\n'));
        qCWarning(lcMusubiInspectorWidget).noquote() << m_errorString;
        m_error->setText(m_errorString);
        m_error->show();
        m_view->hide();
        Q_EMIT loadedChanged();
        return;
    }
    m_inspector = item;
    item->setProperty("connection", QVariant::fromValue(m_connection.data()));
    Q_EMIT loadedChanged();
}
